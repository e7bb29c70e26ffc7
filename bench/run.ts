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

const w = Math.max(...rows.map((r) => r.what.length));
process.stdout.write(`${'what'.padEnd(w)}  runs  median ms    p90 ms  x node -e 0\n`);
for (const r of rows) {
  const ratio = (r.medianMs / baseline.medianMs).toFixed(2);
  process.stdout.write(`${r.what.padEnd(w)}  ${String(r.runs).padStart(4)}  ${r.medianMs.toFixed(2).padStart(9)}  ${r.p90Ms.toFixed(2).padStart(8)}  ${ratio.padStart(11)}\n`);
}
