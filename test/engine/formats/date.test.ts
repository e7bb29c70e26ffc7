import { formatDate, parseDateArgs, parseDateString } from '../../../engine/formats/date';

const NOW = Date.UTC(2015, 2, 14, 3, 12, 1);
const EARLY = Date.UTC(2015, 2, 4, 3, 12, 1);

function date(argv: string[], now = NOW, root = false) {
  const p = parseDateArgs(argv);
  if (!p.ok) return { stdout: p.stdout, stderr: p.stderr, code: p.code };
  return formatDate(now, p.options, root);
}

describe('date', () => {
  it('prints the default format with a space-padded day', () => {
    expect(date([]).stdout).toBe('Sat Mar 14 03:12:01 UTC 2015\n');
    expect(date([], EARLY).stdout).toBe('Wed Mar  4 03:12:01 UTC 2015\n');
    expect(date(['-u']).stdout).toBe('Sat Mar 14 03:12:01 UTC 2015\n');
  });
  it('follows +FORMAT, -R and -I', () => {
    expect(date(['+%Y-%m-%d %H:%M:%S']).stdout).toBe('2015-03-14 03:12:01\n');
    expect(date(['+%s']).stdout).toBe('1426302721\n');
    expect(date(['-R']).stdout).toBe('Sat, 14 Mar 2015 03:12:01 +0000\n');
    expect(date(['-I']).stdout).toBe('2015-03-14\n');
    expect(date(['-Iseconds']).stdout).toBe('2015-03-14T03:12:01+0000\n');
    expect(date(['--rfc-3339=seconds']).stdout).toBe('2015-03-14 03:12:01+00:00\n');
  });
  it('interprets -d', () => {
    expect(date(['-d', '@0', '+%F %T']).stdout).toBe('1970-01-01 00:00:00\n');
    expect(date(['-d', '2 days ago', '+%F']).stdout).toBe('2015-03-12\n');
    expect(parseDateString('2015-03-01 10:00', NOW)).toBe(Date.UTC(2015, 2, 1, 10, 0, 0));
    expect(date(['-d', 'someday'])).toEqual({ stdout: '', stderr: 'date: invalid date \u2018someday\u2019\n', code: 1 });
    // past any date there can be: said, never printed as NaN
    for (const huge of ['@99999999999999999999', '99999999999999999999 days', '-99999999999999 weeks ago']) {
      expect(date(['-d', huge])).toEqual({ stdout: '', stderr: `date: invalid date \u2018${huge}\u2019\n`, code: 1 });
    }
  });
  it('refuses to set the clock for a normal user but reports what it would print', () => {
    expect(date(['03150400'])).toEqual({
      stdout: 'Sun Mar 15 04:00:00 UTC 2015\n',
      stderr: 'date: cannot set date: Operation not permitted\n',
      code: 1,
    });
    expect(date(['03150400'], NOW, true)).toEqual({ stdout: 'Sun Mar 15 04:00:00 UTC 2015\n', stderr: '', code: 0, setTo: Date.UTC(2015, 2, 15, 4, 0, 0) });
  });
  it('reports option errors like coreutils', () => {
    expect(date(['-z'])).toEqual({ stdout: '', stderr: "date: invalid option -- 'z'\nTry 'date --help' for more information.\n", code: 1 });
    expect(date(['+%F', 'x']).stderr).toBe("date: extra operand \u2018x\u2019\nTry 'date --help' for more information.\n");
    expect(date(['-R', '+%F']).stderr).toBe("date: multiple output formats specified\nTry 'date --help' for more information.\n");
  });
});
