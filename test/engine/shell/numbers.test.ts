import { harness, type Harness } from './fake-env';

/**
 * Numbers of many digits: kept exactly where the real tool keeps them, refused clearly where it
 * would not cope, never an internal error, never a silent rounding of a whole number.
 */
let h: Harness;
beforeEach(() => {
  h = harness();
});

describe('$(( )) is 64-bit, as in bash', () => {
  test('every digit that fits is kept, and what does not wraps around', () => {
    expect(h.run('echo $((2**62 + 1)) $((2**63)) $((9223372036854775807 + 1))').stdout).toBe('4611686018427387905 -9223372036854775808 -9223372036854775808\n');
    expect(h.run('echo $((99999999999999999999999999))').stdout).toBe('-2537764290115403777\n');
    expect(h.run('x=9007199254740993; echo $((x * 1))').stdout).toBe('9007199254740993\n');
  });

  test('huge exponents and shifts cost nothing; C rules for / %', () => {
    expect(h.run('echo $((2**1000000000)) $((3**1000000001)) $((1<<64)) $((1<<65))').stdout).toBe('0 9198708326947985411 1 2\n');
    expect(h.run('echo $((-7/2)) $((-7%3)) $((0x10 + 010)) $((~5)) $((!0)) $((3>2 && 0))').stdout).toBe('-3 -1 24 -6 1 0\n');
  });

  test("bash's complaints", () => {
    expect(h.run('echo $((2**-1))').stderr).toBe('bash: 2**-1: exponent less than 0 (error token is "1")\n');
    expect(h.run('echo $((09))').stderr).toBe('bash: 09: value too great for base (error token is "09")\n');
    expect(h.run('echo $((1/0))').stderr).toBe('bash: 1/0: division by 0 (error token is "0")\n');
  });
});

describe('seq', () => {
  test('whole numbers past a double\'s precision are counted and printed exactly', () => {
    expect(h.run('seq 9007199254740993 9007199254740995').stdout).toBe('9007199254740993\n9007199254740994\n9007199254740995\n');
    expect(h.run('seq 99999999999999999999 99999999999999999999').stdout).toBe('99999999999999999999\n');
    expect(h.run('seq -w 98 101').stdout).toBe('098\n099\n100\n101\n');
    expect(h.run('seq 10 -3 1').stdout).toBe('10\n7\n4\n1\n');
  });

  test('more than it prints, or more decimals than it can, is said plainly', () => {
    expect(h.run('seq 1 99999999999999999999999')).toMatchObject({ stdout: '', stderr: "seq: 99999999999999999999999 numbers is more than this world's seq prints (1000000)\n", code: 1 });
    expect(h.run('seq 0 0.000001 1000')).toMatchObject({ stdout: '', stderr: "seq: 1000000001 numbers is more than this world's seq prints (1000000)\n", code: 1 });
    expect(h.run('seq 1e400')).toMatchObject({ stdout: '', stderr: "seq: that is more numbers than this world's seq prints (1000000)\n", code: 1 });
    expect(h.run(`seq 1 0.${'0'.repeat(150)}1 1`)).toMatchObject({ stderr: "seq: this world's seq prints at most 100 digits after the decimal point\n", code: 1 });
  });
});
