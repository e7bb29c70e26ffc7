import { getopt, has, last, type OptDef } from '../../../engine/shell/getopt';

// a head-like and an ls-like option table
const HEAD: OptDef[] = [
  { key: 'n', short: 'n', long: 'lines', arg: 'required' },
  { key: 'c', short: 'c', long: 'bytes', arg: 'required' },
  { key: 'q', short: 'q', long: 'quiet' },
  { key: 'q', long: 'silent' },
  { key: 'v', short: 'v', long: 'verbose' },
  { key: 'V', long: 'version' },
];
const LS: OptDef[] = [
  { key: 'l', short: 'l' },
  { key: 'a', short: 'a', long: 'all' },
  { key: 'A', short: 'A', long: 'almost-all' },
  { key: 'r', short: 'r', long: 'reverse' },
  { key: 'color', long: 'color', arg: 'optional' },
  { key: 'color', long: 'colour', arg: 'optional' },
];

describe('getopt: GNU getopt_long as glibc 2.19 does it', () => {
  it('clusters short options and takes their arguments attached or separate', () => {
    expect(getopt('ls', ['-lar'], LS)).toEqual({ opts: [{ key: 'l' }, { key: 'a' }, { key: 'r' }], operands: [] });
    expect(getopt('head', ['-vn5'], HEAD).opts).toEqual([{ key: 'v' }, { key: 'n', value: '5' }]);
    expect(getopt('head', ['-n', '5', '-c12'], HEAD).opts).toEqual([{ key: 'n', value: '5' }, { key: 'c', value: '12' }]);
    // the next word is the argument even when it looks like an option
    expect(getopt('head', ['-n', '-3'], HEAD).opts).toEqual([{ key: 'n', value: '-3' }]);
  });

  it('takes long options with = or a separate argument, and unambiguous prefixes', () => {
    expect(getopt('head', ['--lines=5'], HEAD).opts).toEqual([{ key: 'n', value: '5' }]);
    expect(getopt('head', ['--lines', '5'], HEAD).opts).toEqual([{ key: 'n', value: '5' }]);
    expect(getopt('head', ['--li', '5', '--by=', 'f'], HEAD)).toEqual({ opts: [{ key: 'n', value: '5' }, { key: 'c', value: '' }], operands: ['f'] });
    // an exact name wins over longer names it is a prefix of
    expect(getopt('ls', ['--all'], LS).opts).toEqual([{ key: 'a' }]);
  });

  it('treats names for the same option as one: no ambiguity (date --u, grep --col)', () => {
    expect(getopt('head', ['--s'], HEAD).opts).toEqual([{ key: 'q' }]);
    expect(getopt('ls', ['--col=never'], LS).opts).toEqual([{ key: 'color', value: 'never' }]);
  });

  it('gives an optional argument only when attached', () => {
    expect(getopt('ls', ['--color', 'x'], LS)).toEqual({ opts: [{ key: 'color' }], operands: ['x'] });
    const opt: OptDef[] = [{ key: 'I', short: 'I', long: 'iso-8601', arg: 'optional' }];
    expect(getopt('date', ['-Id', '-I', 'x'], opt)).toEqual({ opts: [{ key: 'I', value: 'd' }, { key: 'I' }], operands: ['x'] });
  });

  it('permutes operands to the end unless told to stop at the first one', () => {
    expect(getopt('ls', ['a', '-l', 'b', '-r'], LS)).toEqual({ opts: [{ key: 'l' }, { key: 'r' }], operands: ['a', 'b'] });
    expect(getopt('ls', ['-l', 'a', '-r', '--', '-b'], LS, { permute: false })).toEqual({ opts: [{ key: 'l' }], operands: ['a', '-r', '--', '-b'] });
  });

  it('ends options at --, and a lone - is an operand', () => {
    expect(getopt('ls', ['-', '--', '-l', '--all'], LS)).toEqual({ opts: [], operands: ['-', '-l', '--all'] });
  });

  // the messages as ls and head on a GNU system print them
  it("stops at the first bad option with glibc's words", () => {
    expect(getopt('ls', ['-l', '-az', '-r'], LS)).toEqual({ opts: [{ key: 'l' }, { key: 'a' }], operands: [], error: "ls: invalid option -- 'z'" });
    expect(getopt('ls', ['--foo=bar'], LS).error).toBe("ls: unrecognized option '--foo=bar'");
    expect(getopt('head', ['-n'], HEAD).error).toBe("head: option requires an argument -- 'n'");
    expect(getopt('head', ['--lines'], HEAD).error).toBe("head: option '--lines' requires an argument");
    expect(getopt('head', ['--li'], HEAD).error).toBe("head: option '--lines' requires an argument");
    expect(getopt('ls', ['--all=x'], LS).error).toBe("ls: option '--all' doesn't allow an argument");
    expect(getopt('head', ['--v=1'], HEAD).error).toBe("head: option '--v=1' is ambiguous; possibilities: '--verbose' '--version'");
  });

  it("lists an ambiguous abbreviation's candidates in glibc 2.19's order: the first, then the rest last to first", () => {
    const defs: OptDef[] = [
      { key: 's', long: 'size' },
      { key: 'S', long: 'si' },
      { key: 'x', long: 'show-control-chars' },
      { key: 'y', long: 'sort', arg: 'required' },
    ];
    expect(getopt('ls', ['--s'], defs).error).toBe("ls: option '--s' is ambiguous; possibilities: '--size' '--sort' '--show-control-chars' '--si'");
  });

  it('answers an undeclared --help when asked to, before looking further', () => {
    expect(getopt('cat', ['-n', '--help', '-z'], [{ key: 'n', short: 'n' }], { builtinHelp: true })).toEqual({ opts: [{ key: 'n' }], operands: [], help: true });
    expect(getopt('cat', ['--help'], [{ key: 'n', short: 'n' }]).error).toBe("cat: unrecognized option '--help'");
    expect(getopt('free', ['--help'], [{ key: 'help', long: 'help' }], { builtinHelp: true })).toEqual({ opts: [{ key: 'help' }], operands: [] });
  });

  it('last and has read the parsed options', () => {
    const { opts } = getopt('head', ['-n', '1', '-q', '--lines=7'], HEAD);
    expect(last(opts, 'n')).toBe('7');
    expect(last(opts, 'q')).toBe('');
    expect(last(opts, 'c')).toBeUndefined();
    expect(has(opts, 'q')).toBe(true);
    expect(has(opts, 'v')).toBe(false);
  });
});
