import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The public contract is the built `grimoire` binary; these tests drive it as graders do. */
export const ROOT = join(__dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'src', 'cli.js');

export function requireBuild(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does it first)`);
}

export function tempDir(prefix = 'grimoire-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function grimoire(args: string[], input = '', env: Record<string, string> = {}): SpawnSyncReturns<string> {
  requireBuild();
  return spawnSync(process.execPath, [CLI, ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
}

export function script(lines: string[]): string {
  return lines.join('\n') + '\n';
}

/**
 * Drives the game through a pipe one line at a time: each line is written only after the previous
 * line's output has arrived, which proves lines are handled (and flushed) as they come.
 */
export async function converse(args: string[], lines: string[], isDone: (out: string, i: number) => boolean): Promise<{ outputs: string[]; code: number | null }> {
  requireBuild();
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1' } });
  let buffer = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => (buffer += d));
  const outputs: string[] = [];
  const waitFor = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const tick = () => {
        if (isDone(buffer, i)) return resolve();
        if (Date.now() - started > 60_000) return reject(new Error(`no answer to line ${i}; got: ${buffer.slice(-500)}`));
        setTimeout(tick, 10);
      };
      tick();
    });
  for (let i = 0; i < lines.length; i++) {
    buffer = '';
    child.stdin.write(lines[i] + '\n');
    await waitFor(i);
    outputs.push(buffer);
  }
  child.stdin.end();
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { outputs, code };
}
