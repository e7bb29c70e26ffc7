import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createGame, restoreGame } from '../engine/index';

/**
 * `npm run bench`: how fast the parts a player waits on are. Numbers, not pass/fail: tests stay
 * free of timing, and this is where a slowdown shows. This machine's absolute times drift, so each
 * figure is also given as a ratio to `node -e 0` measured in the same run.
 */
interface Row {
  what: string;
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
rows.push(measure('process: grimoire chapters', 5, () => void spawnSync(node, [cli, 'chapters'])));
rows.push(measure('process: grimoire --help', 5, () => void spawnSync(node, [cli, '--help'])));
rows.push(
  measure('process: play 1 --script (3 spells)', 5, () =>
    void spawnSync(node, [cli, 'play', '1', '--seed', '7', '--script', '-'], { input: 'uname -r\nfree -m\nstatus\n' }),
  ),
);

// ---- simulation speed: a new game's history, a walkthrough, long sleeps (targets in the names) ----
for (const seed of [1, 7, 42, 1001]) {
  rows.push(
    measure(`process: new game to the first prompt, seed ${seed} (target <= 2.5x)`, 3, () =>
      void spawnSync(node, [cli, 'play', '1', '--seed', String(seed), '--script', '-'], { input: '' }),
    ),
  );
}
const WALK = [
  'free -m', 'uptime', 'ps aux', 'sudo slabtop -o | head -n 12', 'grep -i slab /proc/meminfo',
  'dmesg | grep -i oom | tail -n 5', 'pidof nsd', 'sudo grep anon_vma /proc/slabinfo', 'tail -n 20 /var/log/syslog',
  'dig @127.0.0.1 www.example.com +short', 'hint', 'sudo nsd-control reload', 'sleep 10m', 'free -m',
  'sudo service nsd restart', 'sleep 1h', 'grep SUnreclaim /proc/meminfo', 'status', 'journal', 'uname -r',
];
rows.push(
  measure(`process: chapter 1 walkthrough, ${WALK.length} spells (target <= 3x)`, 3, () =>
    void spawnSync(node, [cli, 'play', '1', '--seed', '7', '--script', '-'], { input: `${WALK.join('\n')}\n` }),
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

const w = Math.max(...rows.map((r) => r.what.length));
process.stdout.write(`${'what'.padEnd(w)}  runs  median ms    p90 ms  x node -e 0\n`);
for (const r of rows) {
  const ratio = (r.medianMs / baseline.medianMs).toFixed(2);
  process.stdout.write(`${r.what.padEnd(w)}  ${String(r.runs).padStart(4)}  ${r.medianMs.toFixed(2).padStart(9)}  ${r.p90Ms.toFixed(2).padStart(8)}  ${ratio.padStart(11)}\n`);
}
