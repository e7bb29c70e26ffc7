import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createGame, restoreGame } from '../engine/index';
import { decodeSaveFile, encodeSlotFile } from '../src/saves/slotFile';
import { FsSaveStore } from '../src/saves/fsStore';
import { ENGINE_COMPAT, GameSession, MAX_LOGGED_STEPS } from '../src/session';
import { discordRows } from './discord';

/**
 * `npm run bench`: how fast the parts a player waits on are. Numbers, not pass/fail: tests stay
 * free of timing, and this is where a slowdown shows. This machine's absolute times drift, so each
 * figure is also given as a ratio to `node -e 0` measured in the same run.
 */
interface Row {
  what: string;
  /** the target, as a ratio to `node -e 0` or to another row */
  target?: string;
  runs: number;
  medianMs: number;
  p90Ms: number;
}

function measure(what: string, runs: number, fn: (i: number) => void): Row {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn(i);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { what, runs, medianMs: at(0.5), p90Ms: at(0.9) };
}

const node = process.execPath;
const rows: Row[] = [];
const baseline = measure('baseline: node -e 0', 7, () => void spawnSync(node, ['-e', '0']));
rows.push(baseline);
rows.push(measure('new game (world with its history simulated)', 10, (i) => void createGame('1', 1000 + i)));

const game = createGame('1', 42);
game.start();
for (const spell of ['free -m', 'ps aux', 'sudo slabtop -o', 'sudo cat /proc/slabinfo', 'dmesg | grep -i oom | tail -n 5', 'dig @127.0.0.1 www.example.com']) {
  rows.push(measure(`step: ${spell}`, 20, () => void game.step(spell)));
}
rows.push(measure('step: sleep 1d', 7, () => void game.step('sleep 1d')));
rows.push(measure('step: sleep 7d (a simulated week)', 3, () => void game.step('sleep 7d')));
rows.push(measure('step: repeat 500 nsd-control reload', 3, () => void game.step('repeat 500 sudo nsd-control reload')));
const snap = game.snapshot();
rows.push(measure(`snapshot (${(JSON.stringify(snap).length / 1024).toFixed(0)} KiB of JSON)`, 10, () => void game.snapshot()));
rows.push(measure('restore from snapshot', 10, () => void restoreGame(JSON.parse(JSON.stringify(snap)))));

const cli = join(__dirname, '..', 'src', 'cli.js');
// node's options as the CLI's first line gives them (`#!/usr/bin/env -S node ...`): a player's
// `grimoire` and `npm start` run with them, so every row that starts the CLI does too
const cliFlags = readFileSync(cli, 'utf8').split('\n', 1)[0]!.split(/\s+/).slice(3);
const run = (args: string[], opts: Parameters<typeof spawnSync>[2] = {}) => spawnSync(node, [...cliFlags, cli, ...args], opts);
rows.push(measure('process: grimoire chapters', 5, () => void run(['chapters'])));
rows.push(measure('process: grimoire --help', 5, () => void run(['--help'])));
rows.push(
  measure('process: play 1 --script (3 spells)', 5, () =>
    void run(['play', '1', '--seed', '7', '--script', '-'], { input: 'uname -r\nfree -m\nstatus\n' }),
  ),
);

// ---- simulation speed: a new game's history, a walkthrough, long sleeps (targets in the names) ----
for (const seed of [1, 7, 42, 1001]) {
  rows.push(
    measure(`process: new game to the first prompt, seed ${seed} (target <= 2.5x)`, 3, () =>
      void run(['play', '1', '--seed', String(seed), '--script', '-'], { input: '' }),
    ),
  );
}
// the rows above compile from the code cache (src/compileCache.ts) that earlier runs left; the
// first run after a build has none, and writes it at exit
const coldCache = mkdtempSync(join(tmpdir(), 'grimoire-bench-cache-'));
let coldRun = 0;
rows.push(
  measure('process: new game to the first prompt, seed 7, empty compile cache (first run after a build)', 3, () =>
    void run(['play', '1', '--seed', '7', '--script', '-'], { input: '', env: { ...process.env, XDG_CACHE_HOME: join(coldCache, String(coldRun++)) } }),
  ),
);
rmSync(coldCache, { recursive: true, force: true });
const WALK = [
  'free -m', 'uptime', 'ps aux', 'sudo slabtop -o | head -n 12', 'grep -i slab /proc/meminfo',
  'dmesg | grep -i oom | tail -n 5', 'pidof nsd', 'sudo grep anon_vma /proc/slabinfo', 'tail -n 20 /var/log/syslog',
  'dig @127.0.0.1 www.example.com +short', 'hint', 'sudo nsd-control reload', 'sleep 10m', 'free -m',
  'sudo service nsd restart', 'sleep 1h', 'grep SUnreclaim /proc/meminfo', 'status', 'journal', 'uname -r',
];
rows.push(
  measure(`process: chapter 1 walkthrough, ${WALK.length} spells (target <= 3x)`, 3, () =>
    void run(['play', '1', '--seed', '7', '--script', '-'], { input: `${WALK.join('\n')}\n` }),
  ),
);
// each run sleeps in a game of its own, fresh from the player's arrival
const sleepers = (n: number) => Array.from({ length: n }, () => createGame('1', 42)).map((g) => (g.start(), g));
const week = sleepers(3);
const sleep7 = measure('step: sleep 7d in a fresh game (target <= 50 ms)', week.length, (i) => void week[i]!.step('sleep 7d'));
const month = sleepers(3);
const sleep30 = measure('step: sleep 30d in a fresh game (target <= 4x sleep 7d)', month.length, (i) => void month[i]!.step('sleep 30d'));
sleep30.what += ` = ${(sleep30.medianMs / sleep7.medianMs).toFixed(2)}x`;
rows.push(sleep7, sleep30);

// ---- chapter 2: the loopback stack, packet by packet ------------------------------------------
// 1,000 publishes: a fresh game sleeps three minutes; the time is scaled by the publishes that ran
const ch2Games = Array.from({ length: 3 }, (_, i) => createGame('2', 70 + i)).map((g) => (g.start(), g));
const published = (g: ReturnType<typeof createGame>): number => ((g.snapshot().state as { world: { net: { published: number } } }).world.net.published);
const perThousand: number[] = [];
const pub = measure('step: 1,000 simulated publishes, chapter 2 (target < 50 ms)', ch2Games.length, (i) => {
  const g = ch2Games[i]!;
  const before = published(g);
  const t = performance.now();
  g.step('sleep 3m');
  perThousand.push(((performance.now() - t) * 1000) / Math.max(1, published(g) - before));
});
perThousand.sort((a, b) => a - b);
pub.medianMs = perThousand[Math.floor(perThousand.length / 2)]!;
pub.p90Ms = perThousand[perThousand.length - 1]!;
rows.push(pub);
const WALK2 = [
  'publish', 'time publish', 'ps aux', 'top -b -n 1 | head -n 12', 'curl -s http://127.0.0.1:4151/stats', 'cat /srv/publisher/lib/publisher/nsq_client.rb',
  'sudo tcpdump -i lo -n -c 12 port 4151', 'ss -tin', 'sudo strace -tt -T -p $(pidof ruby) -e trace=write,select,read 2>&1 | head -n 20', 'graph publish-latency',
  'hint', 'sudo setsockopt NODELAY', 'publish', 'echo "tcp_nodelay: true" | sudo tee -a /etc/publisher/publisher.yml', 'sudo service publisher restart',
  'sleep 5m', 'publish', 'graph publish-latency', 'status', 'journal',
];
rows.push(
  measure(`process: chapter 2 walkthrough, ${WALK2.length} spells`, 3, () =>
    void run(['play', '2', '--seed', '7', '--script', '-'], { input: `${WALK2.join('\n')}\n` }),
  ),
);

// ---- chapter 3: a simulated night (the import, the 03:00 snapshot under write load, and the judge
// restoring and validating it), and a 20-spell script from a fresh game
const ch3 = createGame('3', 7);
ch3.start();
rows.push(measure('step: chapter 3, a simulated night (sleep 1d: import, snapshot, restore, validate)', 3, () => void ch3.step('sleep 1d')));
const WALK3 = [
  'cat /home/ops/nadia-driver-error.txt', 'cat /etc/cron.d/ebs-backup', 'cat /usr/local/bin/ebs-backup.sh', 'mount', 'df -h', 'lsblk',
  "mongo --quiet --eval 'printjson(rs.status())'", "mongo --quiet --eval 'printjson(db.adminCommand({fsync: 1}))'",
  'grep -e Dirty -e Writeback /proc/meminfo', 'iostat -x 1 2', "mongo --port 27018 events --eval 'printjson(db.events.validate(true))'",
  'hexdump -C /restore/db/events.0 | head -n 20', 'tail -n 20 /var/log/mongodb/restore.log', 'hint', 'fsyncLock',
  "mongo --quiet --eval 'rs.printSlaveReplicationInfo()'", 'fsyncUnlock',
  `sudo sed -i '/create-snapshot/i mongo --quiet --eval "printjson(db.fsyncLock())"' /usr/local/bin/ebs-backup.sh`,
  `sudo sed -i '/create-snapshot/a mongo --quiet --eval "printjson(db.fsyncUnlock())"' /usr/local/bin/ebs-backup.sh`, 'status',
];
rows.push(
  measure(`process: chapter 3 script, ${WALK3.length} spells`, 3, () =>
    void run(['play', '3', '--seed', '7', '--script', '-'], { input: `${WALK3.join('\n')}\n` }),
  ),
);

// ---- reading a day of the OOM storm's logs (syslog ~830 MB, rendered as it is read) -------------
const stormDay = createGame('1', 1);
stormDay.start();
stormDay.step('sleep 1d');
rows.push(measure("step: grep -c 'Killed process' /var/log/syslog after a day of storm", 3, () => void stormDay.step("grep -c 'Killed process' /var/log/syslog")));
rows.push(measure('step: wc -l /var/log/syslog after a day of storm', 3, () => void stormDay.step('wc -l /var/log/syslog')));

// ---- saves: autosave cost, listing 1 vs 300 slots, size on disk --------------------------------
const work = mkdtempSync(join(tmpdir(), 'grimoire-bench-'));
const lines200 = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? 'uname -r' : 'free -m')).join('\n') + '\n';
const plain = measure('process: 200-line script', 3, () => void run(['play', '1', '--seed', '7', '--script', '-'], { input: lines200 }));
rows.push(plain);
let runNo = 0;
const saved = measure('process: 200-line script --save (autosaves as it goes)', 3, () => {
  const dir = join(work, `autosave-${runNo++}`);
  run(['--saves-dir', dir, 'play', '1', '--seed', '7', '--save', 'bench', '--script', '-'], { input: lines200 });
});
saved.target = `<= 1.50x the 200-line script (${(saved.medianMs / plain.medianMs).toFixed(2)}x)`;
rows.push(saved);

// one save after one spell, then the same file under 300 slot names
const one = join(work, 'one');
run(['--saves-dir', one, 'play', '1', '--seed', '7', '--save', 's0', '--script', '-'], { input: 'free -m\n' });
const many = join(work, 'many');
mkdirSync(many);
for (let i = 0; i < 300; i++) copyFileSync(join(one, 's0.json'), join(many, `s${i}.json`));
const listIn = (dir: string) => () => void run(['--saves-dir', dir, 'play', '1', '--load', 's0', '--script', '-'], { input: 'saves\n' });
const list1 = measure('process: load + saves, 1 slot', 3, listIn(one));
const list300 = measure('process: load + saves, 300 slots', 3, listIn(many));
list300.target = `<= 2x the 1-slot run (${(list300.medianMs / list1.medianMs).toFixed(2)}x)`;
rows.push(list1, list300);

// ---- the title screen, drawn in a pseudo-terminal (util-linux script) ---------------------------
/**
 * Starts the CLI on a terminal and resolves once its menu's last entry is on the screen. With
 * `quit`, the player then leaves (Ctrl-C) and it resolves when the game has exited, as a player's
 * first visit ends: the compile cache is written at that exit.
 */
function titleDrawn(savesDir: string, quit = false): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn('script', ['-qfec', `${[node, ...cliFlags, cli].join(' ')} --saves-dir ${savesDir}`, '/dev/null'], { stdio: ['pipe', 'pipe', 'ignore'] });
    let leaving: NodeJS.Timeout | undefined;
    if (quit) p.on('exit', () => (clearTimeout(leaving), resolve()));
    let out = '';
    let drawn = false;
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`no title screen after 30 s: ${JSON.stringify(out.slice(-300))}`));
    }, 30_000);
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      if (drawn || !out.includes('Quit')) return;
      drawn = true;
      clearTimeout(timer);
      if (!quit) {
        p.kill('SIGKILL');
        resolve();
        return;
      }
      p.stdin.write('\x03');
      leaving = setTimeout(() => {
        p.kill('SIGKILL');
        reject(new Error('Ctrl-C did not end the title screen within 30 s'));
      }, 30_000);
    });
    p.on('error', reject);
  });
}

async function measureAsync(what: string, runs: number, fn: () => Promise<void>): Promise<Row> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { what, runs, medianMs: at(0.5), p90Ms: at(0.9) };
}

const file = readFileSync(join(one, 's0.json'));
const decoded = decodeSaveFile(file, 's0.json');
const snapshotKiB = decoded.ok ? Buffer.byteLength(JSON.stringify(decoded.save.payload)) / 1024 : NaN;

async function main(): Promise<void> {
  const empty = join(work, 'empty');
  mkdirSync(empty);
  // measured as the title screen starts for a player who has opened it before
  await titleDrawn(one, true);
  for (const [label, dir] of [['no saves', empty], ['one save', one], ['300 saves', many]] as const) {
    const row = await measureAsync(`process: title screen drawn, ${label}`, 5, () => titleDrawn(dir));
    row.target = '<= 2x node -e 0';
    rows.push(row);
  }
  rmSync(work, { recursive: true, force: true });

  // ---- a save through the real store: snapshot, encode, durable write; and a store that has not seen it reading, decoding and restoring it
  const roundTrips = mkdtempSync(join(tmpdir(), 'grimoire-bench-saves-'));
  const fresh = createGame('1', 7);
  fresh.start();
  fresh.step('free -m');
  for (const [label, g] of [['one spell', fresh], ['four simulated weeks, 1500 reloads', game]] as const) {
    const slot = label === 'one spell' ? 'short' : 'long';
    const meta = { chapter: '1', chapterTitle: '', progress: '', virtualTime: '', hints: 0, spells: 0 };
    const writer = new FsSaveStore({ dir: roundTrips, engine: ENGINE_COMPAT });
    const write = await measureAsync(`save: snapshot + durable write, ${label}`, 9, () => writer.write(slot, { meta, history: g.history(), payload: g.snapshot() }).then(() => undefined));
    write.target = '<= 5 ms';
    const read = await measureAsync(`save: read + restore, ${label}`, 9, async () => {
      const res = await new FsSaveStore({ dir: roundTrips, engine: ENGINE_COMPAT }).read(slot);
      if (res.status !== 'ok') throw new Error(`the bench's own save did not read back: ${res.status}`);
      restoreGame(res.save.payload);
    });
    read.target = '<= 5 ms';
    rows.push(write, read);
  }
  // what an autosave after a spell is now: one line appended to the slot's step log and fsynced
  // (src/saves/stepLog.ts); the game is written whole every MAX_LOGGED_STEPS spells, and a read
  // plays the logged ones again: its worst case is a save with a full log behind it
  const logDir = join(roundTrips, 'logged');
  const logStore = new FsSaveStore({ dir: logDir, engine: ENGINE_COMPAT });
  const logMeta = { chapter: '1', chapterTitle: '', progress: '', virtualTime: '', hints: 0, spells: 0 };
  const { base } = await logStore.write('steps', { meta: logMeta, history: fresh.history(), payload: fresh.snapshot() });
  const logged = await measureAsync('save: autosave after one spell, logged (append + fsync; whole every 32 spells)', 9, async () => {
    if (!(await logStore.appendSteps('steps', base!, [{ line: 'uname -r', savedAt: new Date().toISOString(), meta: logMeta }]))) throw new Error('the bench could not log a spell');
  });
  logged.target = '<= 5 ms';
  const session = GameSession.newGame('1', 7, { store: new FsSaveStore({ dir: logDir, engine: ENGINE_COMPAT }), autosaveSlot: 'autosave', now: () => new Date() });
  session.open();
  await session.saveNow();
  for (let i = 0; i < MAX_LOGGED_STEPS - 1; i++) await session.handle('uname -r');
  const replayed = await measureAsync(`save: read + restore, a save and ${MAX_LOGGED_STEPS - 1} spells logged after it (played again)`, 5, async () => {
    const res = await new FsSaveStore({ dir: logDir, engine: ENGINE_COMPAT }).read('autosave');
    if (res.status !== 'ok') throw new Error(`the bench's own save did not read back: ${res.status}`);
    restoreGame(res.save.payload);
  });
  rows.push(logged, replayed);
  rmSync(roundTrips, { recursive: true, force: true });

  // ---- the Discord bot on loopback: PINGs against a bare verifying server, /cast by 32 players (bench/discord.ts)
  const discord = await discordRows();
  rows.push(...discord.rows);

  const w = Math.max(...rows.map((r) => r.what.length));
  process.stdout.write(`${'what'.padEnd(w)}  runs  median ms    p90 ms  x node -e 0  target\n`);
  for (const r of rows) {
    const ratio = (r.medianMs / baseline.medianMs).toFixed(2);
    process.stdout.write(
      `${r.what.padEnd(w)}  ${String(r.runs).padStart(4)}  ${r.medianMs.toFixed(2).padStart(9)}  ${r.p90Ms.toFixed(2).padStart(8)}  ${ratio.padStart(11)}  ${r.target ?? ''}\n`,
    );
  }
  process.stdout.write(
    `\nsave on disk after one spell: ${(file.length / 1024).toFixed(1)} KiB for a ${snapshotKiB.toFixed(0)} KiB snapshot ` +
      `(${(file.length / 1024 / snapshotKiB).toFixed(3)} KiB on disk per KiB of snapshot; format 1 wrote its pretty-printed JSON, about 2.8)\n`,
  );
  // the game the step rows played: four simulated weeks and 1500 of the player's reloads
  const meta = { chapter: '1', chapterTitle: '', progress: '', virtualTime: '', hints: 0, spells: 0 };
  const long = await encodeSlotFile({ slot: 'long', savedAt: new Date(0).toISOString(), meta, history: game.history(), payload: game.snapshot() });
  process.stdout.write(`save on disk after four simulated weeks and 1500 reloads: ${(long.length / 1024).toFixed(1)} KiB (target <= 64 KiB)\n`);
  for (const n of discord.notes) process.stdout.write(`${n}\n`);
}

void main();
