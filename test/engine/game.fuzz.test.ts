import fc from 'fast-check';
import { createGame, restoreGame, type GameHandle, type OutputBlock, type SavedGame } from '../../engine/index';

/**
 * Fuzzing Game.step with spell lines built from the shell's own grammar: its commands and their
 * options, pipes, redirections, lists and loops, globs, regular expressions, numbers with many
 * digits, quotes. Whatever the line:
 *  - no exception escapes Game.step, and nothing the player sees reads "internal error", "fizzled"
 *    or a JavaScript stack trace;
 *  - the line ends within a bound of wall time measured here: by itself within LINE_MS, or, for a
 *    loop of heavy commands the shell's limits allow to run longer, within GRACE_MS of the Ctrl-C
 *    a watchdog then presses through StepOptions.interrupted (as a player would): nothing hangs;
 *  - the game's state survives JSON after every line, and a game restored from it plays on.
 *
 * A fixed seed and few runs by default; GRIMOIRE_FUZZ_RUNS=500 npx jest test/engine/game.fuzz for a
 * longer run (GRIMOIRE_FUZZ_SEED picks another seed).
 */
const RUNS = Number(process.env.GRIMOIRE_FUZZ_RUNS ?? 8);
const SEED = Number(process.env.GRIMOIRE_FUZZ_SEED ?? 20151126);
/**
 * Wall time after which the watchdog presses Ctrl-C, and how soon after it the line must have
 * stopped: a loop of ten thousand rounds of heavy commands may run for a while within the shell's
 * limits, as in bash, and Ctrl-C is what stops it; a single command (a million lines sorted) cannot
 * be cut short, hence the grace. GRIMOIRE_FUZZ_LINE_MS lets a long run wait longer before pressing.
 */
const LINE_MS = Number(process.env.GRIMOIRE_FUZZ_LINE_MS ?? 5_000);
const GRACE_MS = 20_000;

// ---- pieces ----

const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);

const digits = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 200 }).map(String) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 300_000 }).map(String) },
  // many digits: far past every limit, and past what a double holds exactly
  { weight: 2, arbitrary: fc.string({ unit: pick('0', '1', '5', '9'), minLength: 12, maxLength: 45 }) },
);
const number = fc.oneof(
  { weight: 6, arbitrary: digits },
  { weight: 1, arbitrary: fc.tuple(pick('-', '+', ''), digits, pick('', '.5', '.0001', 'e3', 'e-2', 'e400', '.')).map(([s, d, f]) => s + d + f) },
);
const duration = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.integer({ min: 0, max: 90 }), pick('', 's', 'm', 'h')).map(([n, u]) => `${n}${u}`) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0, max: 2 }), pick('d', '.5d')).map(([n, u]) => `${n}${u}`) },
  { weight: 2, arbitrary: fc.tuple(digits, pick('', 'd', 'h')).map(([n, u]) => `${n}${u}`) },
  { weight: 1, arbitrary: pick('inf', 'nan', '1e400', '-1', '0x10', '') },
);
const file = pick(
  '/etc/passwd', '/etc/group', '/etc/crontab', '/etc/nsd/nsd.conf', '/proc/meminfo', '/proc/slabinfo', '/proc/1/status',
  '/var/log/syslog', '/tmp/a', '/tmp/b', 'notes.txt', '~/x', '/dev/null', '/nonexistent', '/tmp', '/', '-',
);
const glob = pick('/tmp/*', '/etc/*.conf', '/proc/[0-9]*', '*', '/etc/c*/*', '/var/log/*.[0-9]', '/tmp/[!a]*', '/*/*/*', `/tmp/${'*a'.repeat(12)}*`);
const regexChar = pick('a', 'b', '.', '*', '+', '?', '(', ')', '|', '[', ']', '^', '$', '{', '}', ',', '2', '\\', '\\1', '\\(', '\\)', '\\{', '\\}', '\\|', '\\<', '\\>', '\\b', '\\w', '[[:digit:]]', '[^a]', 'x', ' ');
const regex = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: regexChar, minLength: 0, maxLength: 12 }) },
  { weight: 1, arbitrary: pick('(a+)+$', '(a|aa)+b', '\\(a*\\)*\\1$', '(x*)*y', '^(a?){30}a{30}$', 'a{2000}', '(.*)\\1', 'nsd|cron', 'Mem[A-Z]') },
);
/** text the shell sees as one word however it is made */
const quoted = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const word = fc.oneof(
  { weight: 4, arbitrary: pick('x', 'hello world', 'nsd', 'MemFree', '$HOME', '$?', '$$', '$(echo sub)', '`date`', '"$USER"', '${X:-d}', '$((2**62 + 1))', 'a\\ b', '~', '{1..3}', '{a,b}{c,d}') },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 12 }).map(quoted) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }).map(quoted) },
  { weight: 2, arbitrary: number },
);
const awkProgram = pick(
  '{ print $1 }', '{ s += $NF } END { print s }', '/a/ { n++ } END { print n+0 }', '{ gsub(/[0-9]+/, "#"); print }',
  'BEGIN { while (1) x++ }', '{ print length($0), toupper($1) }', 'BEGIN { printf "%.2f\\n", 1e308 * 10 }',
  '{ n = split($0, p, /:+/); print n }', 'BEGIN { s = "x"; for (i = 0; i < 25; i++) s = s s; print length(s) }',
  '$0 ~ /(a+)+$/', '{ print match($0, /[0-9]+/), RSTART, RLENGTH }', 'BEGIN { print 1/0 }', '{ print > "/tmp/awk.out" }',
);

// ---- commands ----

const simple: fc.Arbitrary<string> = fc.oneof(
  fc.array(word, { maxLength: 4 }).map((ws) => ['echo', ...ws].join(' ')),
  fc.tuple(pick('-e', '-n', ''), word).map(([o, w]) => `echo ${o} ${w}`),
  fc.tuple(pick("'%s %d\\n'", "'%*d|%.*f'", "'%x %o %e %c'", "'%s'"), fc.array(word, { maxLength: 3 })).map(([f, a]) => ['printf', f, ...a].join(' ')),
  fc.array(fc.oneof(file, glob), { maxLength: 3 }).map((fs) => ['cat', ...fs].join(' ')),
  fc.tuple(pick('', '-E', '-F', '-i', '-v', '-c', '-o', '-w', '-x', '-n', '-r', '-l', '-Eo', '-Ec', '-A1', '-m2', '-q'), regex, fc.array(fc.oneof(file, glob), { maxLength: 2 })).map(
    ([o, r, fs]) => ['grep', o, '-e', quoted(r), ...fs].join(' '),
  ),
  fc.tuple(pick('', '-n', '-r', '-u', '-k2', '-t: -k3,3n', '-h', '-g', '-f', '-s', '-k9.9'), fc.array(file, { maxLength: 1 })).map(([o, fs]) => ['sort', o, ...fs].join(' ')),
  fc.tuple(pick('', '-c', '-d', '-u', '-i'), fc.array(file, { maxLength: 1 })).map(([o, fs]) => ['uniq', o, ...fs].join(' ')),
  fc.tuple(pick('-d: -f1', '-c1-5', '-f2', '-d" " -f3-', '-b1'), fc.array(file, { maxLength: 1 })).map(([o, fs]) => ['cut', o, ...fs].join(' ')),
  pick('tr a-z A-Z', 'tr -d 0-9', 'tr -s " "', "tr '[:lower:]' '[:upper:]'", 'tr -c a x', 'tr z-a x'),
  fc.tuple(pick('head', 'tail'), pick('', '-n', '-c'), number, fc.array(file, { maxLength: 1 })).map(([c, o, n, fs]) => [c, o ? `${o} ${n}` : '', ...fs].join(' ')),
  fc.tuple(pick('', '-l', '-w', '-c', '-m', '-L'), fc.array(file, { maxLength: 2 })).map(([o, fs]) => ['wc', o, ...fs].join(' ')),
  fc.tuple(pick('', '-F:', "-F '[ :]+'"), awkProgram, fc.array(file, { maxLength: 1 })).map(([o, p, fs]) => ['awk', o, quoted(p), ...fs].join(' ')),
  fc.tuple(pick('', '-w', '-s,'), fc.array(number, { minLength: 1, maxLength: 3 })).map(([o, ns]) => ['seq', o, ...ns].join(' ')),
  fc.array(duration, { minLength: 1, maxLength: 2 }).map((ds) => ['sleep', ...ds].join(' ')),
  fc.tuple(pick('', '-l', '-a', '-la', '-1', '-R'), fc.array(fc.oneof(file, glob), { maxLength: 2 })).map(([o, fs]) => ['ls', o, ...fs].join(' ')),
  fc.tuple(pick('', '-a'), file).map(([o, f]) => `tee ${o} ${f}`),
  pick('df', 'df -h', 'df -i', 'df -T --total', 'df -h /tmp /proc', 'df -BM', 'df -x tmpfs'),
  pick('free -m', 'free -h', 'ps aux', 'ps -ef --forest', 'uptime', 'date', 'uname -a', 'dmesg | tail -3', 'top -b -n 1 | head -5', 'pidof nsd', 'slabtop -o'),
  pick('sysctl vm.swappiness', 'sudo sysctl -w vm.swappiness=10', 'cat /proc/sys/vm/drop_caches', 'echo 3 | sudo tee /proc/sys/vm/drop_caches'),
  fc.tuple(pick('fallocate -l', 'dd if=/dev/zero of=/tmp/sw bs=1M count='), number).map(([c, n]) => (c.startsWith('dd') ? `sudo ${c}${n}` : `sudo ${c} ${n}M /tmp/swap`)),
  pick('true', 'false', 'pwd', 'whoami', 'id', 'hostname', 'printenv HOME', 'which grep', 'type cd', 'cd /tmp', 'cd', 'cd /nonexistent', 'export X=1', 'unset X', ':'),
  pick('apt-cache search nsd', 'apt-cache search "(a+)+$"', 'apt list "*a*a*a*a*a*"', 'apt-cache policy nsd', 'service nsd status', 'man grep | head -3', 'help | head -2'),
);

const redirect = pick('', '', '', '> /tmp/a', '>> /tmp/b', '2>&1', '2>/dev/null', '< /etc/passwd', '> /dev/null', '&> /tmp/c', '> /proc/sys/vm/drop_caches', '> /', '< /nonexistent');

const line: fc.Arbitrary<string> = fc
  .letrec((tie) => ({
    command: fc.oneof(
      { depthIdentifier: 'line', maxDepth: 2 },
      { weight: 8, arbitrary: fc.tuple(simple, redirect).map(([c, r]) => `${c} ${r}`.trim()) },
      { weight: 1, arbitrary: fc.tuple(pick('sudo', 'repeat 3', 'repeat 10000', 'sudo -u nsd'), simple).map(([p, c]) => `${p} ${c}`) },
      { weight: 1, arbitrary: tie('list').map((l) => `sh -c ${quoted(l as string)}`) },
      { weight: 1, arbitrary: fc.tuple(pick('i', 'f'), pick('$(seq 3)', '/tmp/*', 'a b c', '$(seq 20000)'), tie('list')).map(([v, ws, l]) => `for ${v} in ${ws}; do ${l}; done`) },
      { weight: 1, arbitrary: fc.tuple(simple, tie('list')).map(([c, l]) => `if ${c}; then ${l}; else echo no; fi`) },
      { weight: 1, arbitrary: tie('list').map((l) => `while true; do ${l}; done`) },
      { weight: 1, arbitrary: tie('list').map((l) => `( ${l} )`) },
      { weight: 1, arbitrary: tie('list').map((l) => `{ ${l}; }`) },
      { weight: 1, arbitrary: tie('list').map((l) => `echo $(${l})`) },
    ),
    pipeline: fc.array(tie('command'), { minLength: 1, maxLength: 3 }).map((cs) => (cs as string[]).join(' | ')),
    list: fc
      .tuple(tie('pipeline'), fc.array(fc.tuple(pick(';', '&&', '||'), tie('pipeline')), { maxLength: 2 }))
      .map(([first, rest]) => [first as string, ...(rest as Array<[string, string]>).map(([op, p]) => `${op} ${p}`)].join(' ')),
  }))
  .list as fc.Arbitrary<string>;

// ---- the property ----

const FORBIDDEN = /internal error|fizzled|RangeError|TypeError|ReferenceError|Maximum call stack|\bat .+\.(?:ts|js):\d+|undefined is not|cannot read propert/i;

const shown = (blocks: OutputBlock[]): string => blocks.map((b) => ('text' in b ? b.text : JSON.stringify(b))).join('\n');

let base: SavedGame;
beforeAll(() => {
  const g = createGame('1', 1);
  g.start();
  base = g.snapshot();
});

test(`random spell lines never break the game (${RUNS} runs, seed ${SEED})`, () => {
  fc.assert(
    fc.property(fc.array(line, { minLength: 1, maxLength: 4 }), (lines) => {
      let g: GameHandle = restoreGame(base);
      for (const l of lines) {
        const started = Date.now();
        let pressed = false;
        const watchdog = () => {
          if (!pressed && Date.now() - started > LINE_MS) pressed = true;
          return pressed;
        };
        let blocks: OutputBlock[];
        try {
          blocks = g.step(l, { interrupted: watchdog });
        } catch (e) {
          throw new Error(`Game.step threw on ${JSON.stringify(l)}: ${(e as Error).stack ?? String(e)}`);
        }
        const took = Date.now() - started;
        // GRIMOIRE_FUZZ_LOG=1 shows what each line cost
        if (process.env.GRIMOIRE_FUZZ_LOG) process.stderr.write(`${took} ms${pressed ? ' (Ctrl-C)' : ''}: ${l}\n`);
        if (took > LINE_MS + GRACE_MS) throw new Error(`${JSON.stringify(l)} ran ${took} ms${pressed ? ', Ctrl-C or not' : ''}: longer than ${LINE_MS + GRACE_MS} ms`);
        const text = shown(blocks);
        if (FORBIDDEN.test(text)) throw new Error(`${JSON.stringify(l)} printed ${JSON.stringify(text.slice(0, 2000))}`);
        const saved = g.snapshot();
        const json = JSON.stringify(saved);
        expect(JSON.parse(json)).toEqual(saved);
        // a game restored from the JSON carries on where this one is
        g = restoreGame(JSON.parse(json) as SavedGame);
      }
      expect(shown(g.step('echo still here'))).toContain('still here');
    }),
    { numRuns: RUNS, seed: SEED, endOnFailure: true },
  );
});

test('the grammar makes lines of every kind', () => {
  const sample = fc.sample(line, { numRuns: 200, seed: SEED });
  for (const piece of ['|', '>', 'grep', 'awk', 'sleep', 'seq', 'for ', 'sudo', '*', '\\']) {
    expect([piece, sample.some((l) => l.includes(piece))]).toEqual([piece, true]);
  }
});
