import { formatUname, parseUnameArgs, trustyUname } from '../../../engine/formats/uname';

const view = trustyUname('ns2');
function uname(argv: string[]) {
  const p = parseUnameArgs(argv);
  return p.ok ? { stdout: formatUname(view, p.options), stderr: '', code: 0 } : p;
}

describe('uname', () => {
  it('prints the kernel name by default', () => {
    expect(uname([]).stdout).toBe('Linux\n');
  });
  it('prints everything in the fixed order with -a', () => {
    expect(uname(['-a']).stdout).toBe(
      'Linux ns2 3.16.0-30-generic #40~14.04.1-Ubuntu SMP Thu Jan 15 17:43:14 UTC 2015 x86_64 x86_64 x86_64 GNU/Linux\n',
    );
  });
  it('orders combined flags by the -a order, not by how they were typed', () => {
    expect(uname(['-mr']).stdout).toBe('3.16.0-30-generic x86_64\n');
    expect(uname(['-o', '-n', '-s']).stdout).toBe('Linux ns2 GNU/Linux\n');
    expect(uname(['--kernel-release']).stdout).toBe('3.16.0-30-generic\n');
  });
  it('drops unknown processor fields only under -a', () => {
    const v = { ...view, processor: 'unknown', hardwarePlatform: 'unknown' };
    const all = parseUnameArgs(['-a']);
    const p = parseUnameArgs(['-p']);
    expect(all.ok && formatUname(v, all.options)).toBe(
      'Linux ns2 3.16.0-30-generic #40~14.04.1-Ubuntu SMP Thu Jan 15 17:43:14 UTC 2015 x86_64 GNU/Linux\n',
    );
    expect(p.ok && formatUname(v, p.options)).toBe('unknown\n');
  });
  it('rejects bad options and operands', () => {
    expect(uname(['-z'])).toMatchObject({ stderr: "uname: invalid option -- 'z'\nTry 'uname --help' for more information.\n", code: 1 });
    expect(uname(['foo'])).toMatchObject({ stderr: "uname: extra operand \u2018foo\u2019\nTry 'uname --help' for more information.\n", code: 1 });
  });
});
