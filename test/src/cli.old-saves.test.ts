import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { grimoire, script, tempDir } from './cli.helpers';

/**
 * A game saved by engine version 1 (before the machine layer) still loads: the save store runs the
 * engine's migrations and the game goes on from where it was. The fixture was written by that
 * engine itself (commit 2d78cbd):
 *   grimoire play 1 --seed 11 --save v1-ch1 --saves-dir DIR --script two.txt
 * with two.txt holding `free -m` and `sudo slabtop -o | head -5`, then gzipped.
 */
const FIXTURE = join(__dirname, '..', 'fixtures', 'saves', 'ch1-engine-v1.json.gz');

describe('a chapter 1 save from engine version 1', () => {
  const dir = tempDir();
  const slots = join(dir, 'slots');
  mkdirSync(slots, { recursive: true });
  const text = gunzipSync(readFileSync(FIXTURE)).toString('utf8');
  writeFileSync(join(slots, 'old.json'), text);
  const saved = JSON.parse(text) as { engineVersion: number; history: string[]; payload: { seed: number } };

  it('is what it claims to be: an engine 1 save with two spells in it', () => {
    expect(saved.engineVersion).toBe(1);
    expect(saved.history).toEqual(['free -m', 'sudo slabtop -o | head -5']);
  });

  it('loads, keeps its machine and its history, and plays on', () => {
    const r = grimoire(['play', '1', '--load', 'old', '--saves-dir', slots, '--script', '-', '--json'], script(['hostname', 'history', 'sudo grep -c anon_vma /proc/slabinfo', 'status']));
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { input?: string; output?: string; result?: { spells: number } });
    const out = (input: string) => lines.find((l) => l.input === input)?.output ?? '';
    expect(r.stderr).not.toMatch(/damaged|cannot|refus/i);
    // the hostname drawn for seed 11 when the game began, not one drawn again
    const host = /"hostname":\s*"([^"]+)"/.exec(text)?.[1];
    expect(out('hostname').split('\n')[0]).toBe(host);
    expect(out('history')).toMatch(/1 {2}free -m\n\s+2 {2}sudo slabtop -o \| head -5\n\s+3 {2}hostname/);
    expect(out('sudo grep -c anon_vma /proc/slabinfo').split('\n')[0]).toBe('2');
    expect(out('status')).toMatch(/Objectives at .* 2015/);
    // two spells from the old engine and two new ones (history and status are words to the game, not spells)
    expect(lines[lines.length - 1]!.result!.spells).toBe(4);
  });
});
