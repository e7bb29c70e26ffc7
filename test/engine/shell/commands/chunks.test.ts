import type { FsResult, FsStat, TextChunk } from '../../../../engine/shell/types';
import type { VfsProvider } from '../../../../engine/vfs/vfs';
import { harness, T0, type Harness } from '../fake-env';

/**
 * Files rendered as they are read come in chunks of whole lines (as /var/log does, a record at a
 * time); the text tools must print from them exactly what they print from the same text stored
 * whole. The lines hold the characters case folding is particular about: the Kelvin sign folds to
 * k, the long s to s, the dotted capital I to nothing ASCII.
 */
const LINES = [
  'alpha Killed process 1',
  'beta',
  'gamma',
  'Killed process 2 and Killed process 3',
  'ſtop KILLED PROCESS',
  '\u212Aey killed process',
  '',
  'İ Killed procesS',
  'tail Killed process',
];
const TEXT = LINES.join('\n');
/** the same text cut into chunks of whole lines; the last line has no newline */
const CHUNKS = ['alpha Killed process 1\nbeta\n', 'gamma\n', `${LINES.slice(3, 8).join('\n')}\n`, 'tail Killed process'];

/** a mount whose one file, `log`, is handed out a chunk at a time and never whole */
function chunked(): VfsProvider {
  const stat = (rel: string): FsResult<FsStat> =>
    rel === '' ? { ok: true, value: { type: 'dir', mode: 0o755, owner: 'root', group: 'root', size: 0, mtime: T0 } }
    : rel === 'log' ? { ok: true, value: { type: 'file', mode: 0o644, owner: 'root', group: 'root', size: TEXT.length, mtime: T0 } }
    : { ok: false, errno: 'ENOENT' };
  function* chunks(reverse: boolean): Generator<TextChunk> {
    const order = reverse ? [...CHUNKS].reverse() : CHUNKS;
    for (const text of order) yield { text, newlines: text.split('\n').length - 1 };
  }
  return {
    mountPoint: '/data',
    stat,
    read: (rel) => (rel === 'log' ? { ok: false, errno: 'ENOMEM' } : { ok: false, errno: 'ENOENT' }),
    list: () => ({ ok: true, value: ['log'] }),
    readChunks: (rel, _user, opts) => (rel === 'log' ? { ok: true, value: chunks(opts.reverse) } : { ok: false, errno: 'ENOENT' }),
  };
}

let h: Harness;
beforeEach(() => {
  h = harness();
  h.vfs.mount(chunked());
  h.store.files['/home/ops/log.txt'] = { content: TEXT, mode: 0o644, owner: 'ops', group: 'ops', mtime: T0 };
});

/** the line run on the chunked file, and on the same text stored whole: both must print `want` */
function both(line: string, want: { stdout: string; code?: number }): void {
  for (const file of ['/data/log', 'log.txt']) {
    const r = h.run(line.replace('FILE', file));
    expect({ file, stdout: r.stdout, code: r.code }).toEqual({ file, stdout: want.stdout.replace('FILE', file), code: want.code ?? 0 });
  }
}

describe('grep on chunks', () => {
  test('a fixed string, a pattern holding it, and one that holds no single string count alike', () => {
    for (const p of ["'Killed process'", "-F 'Killed process'", "'Killed proces[s]'", "-E 'Killed process|xyzzy'", "'Kill*ed process'"]) {
      both(`grep -c ${p} FILE`, { stdout: '3\n' });
    }
    both("grep -c 'not there' FILE", { stdout: '0\n', code: 1 });
  });

  test('-i folds case as re2 does: the Kelvin sign is a k, the long s an s, the dotted I no i', () => {
    both("grep -ic 'killed PROCESS' FILE", { stdout: '6\n' });
    both("grep -ic 'killed PROCES[S]' FILE", { stdout: '6\n' });
    both('grep -i KEY FILE', { stdout: '\u212Aey killed process\n' });
    both('grep -i STOP FILE', { stdout: 'ſtop KILLED PROCESS\n' });
    both("grep -ic 'i killed' FILE", { stdout: '0\n', code: 1 });
  });

  test('-v -c counts the lines a string or a pattern is not in, the empty one included', () => {
    both("grep -vc 'Killed process' FILE", { stdout: '6\n' });
    both("grep -vc 'Killed proces[s]' FILE", { stdout: '6\n' });
    both("grep -vc 'e' FILE", { stdout: '3\n' });
  });

  test('-n numbers lines across chunks; -o, -m, -l, -q and a last line without a newline', () => {
    both("grep -n 'Killed process' FILE", { stdout: '1:alpha Killed process 1\n4:Killed process 2 and Killed process 3\n9:tail Killed process\n' });
    both("grep -n 'Killed proces[s] [0-9]' FILE", { stdout: '1:alpha Killed process 1\n4:Killed process 2 and Killed process 3\n' });
    both("grep -o 'Killed process [0-9]' FILE", { stdout: 'Killed process 1\nKilled process 2\nKilled process 3\n' });
    both("grep -m 2 'Killed process' FILE", { stdout: 'alpha Killed process 1\nKilled process 2 and Killed process 3\n' });
    both("grep -q 'Killed process' FILE", { stdout: '' });
    both("grep -q 'xyzzy' FILE", { stdout: '', code: 1 });
    expect(h.run("grep -l 'Killed process' /data/log log.txt").stdout).toBe('/data/log\nlog.txt\n');
    both("grep -A 1 'gamma' FILE", { stdout: 'gamma\nKilled process 2 and Killed process 3\n' });
  });
});

describe('wc, head, tail and cat on chunks', () => {
  test('wc counts newlines, bytes, characters and words', () => {
    const bytes = Buffer.byteLength(TEXT);
    both('wc -l FILE', { stdout: `8 FILE\n` });
    both('wc -c FILE', { stdout: `${bytes} FILE\n` });
    both('wc -m FILE', { stdout: `${TEXT.length} FILE\n` });
    both('wc -w FILE', { stdout: `25 FILE\n` });
  });

  test('head and tail take lines across chunks, from either end', () => {
    both('head -n 4 FILE', { stdout: 'alpha Killed process 1\nbeta\ngamma\nKilled process 2 and Killed process 3\n' });
    both('tail -n 3 FILE', { stdout: '\nİ Killed procesS\ntail Killed process' });
    both('tail -n 8 FILE | head -n 2', { stdout: 'beta\ngamma\n' });
    both('cat FILE', { stdout: TEXT });
  });
});

describe('grep -c on chunks that know their lines as lead, digits and tail', () => {
  const LEADS = ['Mar 20 03:32:58 dns2 kernel: [ 1234.', 'Mar 20 03:32:59 dns2 kernel: [ 1235.'];
  const BASE = ['] nsd invoked oom-killer\n', '] [ 4321]   109  4321 nsd\n', '] Killed process 4321 (nsd)\n'];
  /** three reports: the second and third with the pids moved on */
  const REPORTS = [
    { lead: 0, digits: ['000017', '000019', '000023'], tails: BASE, changed: [] as number[] },
    { lead: 0, digits: ['500001', '500003', '500007'], tails: [BASE[0]!, '] [ 4332]   109  4332 nsd\n', '] Killed process 4332 (nsd)\n'], changed: [1, 2] },
    { lead: 1, digits: ['099998', '099999', '100003'], tails: [BASE[0]!, '] [ 1235]   109  1235 nsd\n', BASE[2]!], changed: [1] },
  ];
  const textOf = (r: (typeof REPORTS)[number]) => r.tails.map((t, k) => LEADS[r.lead] + r.digits[k] + t).join('');
  const WHOLE = REPORTS.map(textOf).join('');

  beforeEach(() => {
    h.vfs.mount({
      mountPoint: '/parts',
      stat: (rel) =>
        rel === '' ? { ok: true, value: { type: 'dir', mode: 0o755, owner: 'root', group: 'root', size: 0, mtime: T0 } }
        : rel === 'kern.log' ? { ok: true, value: { type: 'file', mode: 0o644, owner: 'root', group: 'root', size: WHOLE.length, mtime: T0 } }
        : { ok: false, errno: 'ENOENT' },
      read: () => ({ ok: false, errno: 'ENOMEM' }),
      list: () => ({ ok: true, value: ['kern.log'] }),
      readChunks: (rel) => {
        if (rel !== 'kern.log') return { ok: false, errno: 'ENOENT' };
        function* chunks(): Generator<TextChunk> {
          for (const r of REPORTS) {
            const line = (k: number) => LEADS[r.lead]! + r.digits[k]! + r.tails[k]!;
            yield { text: textOf(r), newlines: 3, parts: { leads: [LEADS[r.lead]!], digits: 6, tails: r.tails, shared: { tails: BASE, changed: r.changed }, line } };
          }
        }
        return { ok: true, value: chunks() };
      },
    });
    h.store.files['/home/ops/kern.txt'] = { content: WHOLE, mode: 0o644, owner: 'ops', group: 'ops', mtime: T0 };
  });

  test('a string in the tails is counted there, the moved pids included', () => {
    const counts = (p: string) => [h.run(`grep -c ${p} /parts/kern.log`).stdout, h.run(`grep -c ${p} kern.txt`).stdout, h.run(`grep -vc ${p} /parts/kern.log`).stdout];
    expect(counts("'Killed process'")).toEqual(['3\n', '3\n', '6\n']);
    expect(counts("'Killed process 4321'")).toEqual(['2\n', '2\n', '7\n']);
    expect(counts("'4332'")).toEqual(['2\n', '2\n', '7\n']);
    expect(counts("'nsd'")).toEqual(['9\n', '9\n', '0\n']);
  });

  test('the lines that hold it are printed as the whole text has them, numbered, cut and stopped alike', () => {
    const lines = WHOLE.split('\n').slice(0, -1);
    for (const opts of ['', '-n', '-m 2', '-o', '-c -m 1', '-l']) {
      const whole = h.run(`grep ${opts} 4332 kern.txt`);
      expect(h.run(`grep ${opts} 4332 /parts/kern.log`)).toMatchObject({ stdout: whole.stdout.replace('kern.txt', '/parts/kern.log'), code: whole.code });
    }
    expect(h.run('grep -n 4332 /parts/kern.log').stdout).toBe(`5:${lines[4]}\n6:${lines[5]}\n`);
    expect(h.run("grep -q 'Killed process 1235' /parts/kern.log").code).toBe(1);
    expect(h.run("grep -q 'Killed process 4321' /parts/kern.log").code).toBe(0);
  });

  test('a string a lead holds, or one that runs from a lead or from the digits into a tail, is looked for in the lines', () => {
    const counts = (p: string) => [h.run(`grep -c ${p} /parts/kern.log`).stdout, h.run(`grep -c ${p} kern.txt`).stdout];
    expect(counts("'dns2 kernel'")).toEqual(['9\n', '9\n']);
    expect(counts("'1235.1'")).toEqual(['1\n', '1\n']);
    expect(counts("'.0999'")).toEqual(['2\n', '2\n']);
    expect(counts("'9] nsd'")).toEqual(['0\n', '0\n']);
    expect(counts("'7] nsd'")).toEqual(['1\n', '1\n']);
    expect(counts("'03] Killed'")).toEqual(['1\n', '1\n']);
    expect(counts("-F '[ 1235'")).toEqual(['3\n', '3\n']);
  });
});
