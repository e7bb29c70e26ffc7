import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { PlaySession } from './session-api';
import { blocksToPlainText } from './text/plain';

/**
 * Script mode: lines are read as they arrive and each line's output is written and flushed before
 * the next line is taken, so another program can drive the game through a pipe, one line at a time.
 */
interface ScriptOptions {
  json: boolean;
  /** print the opening (briefing) before the first line; text mode only */
  showOpening: boolean;
}

function writeFlushed(out: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    out.write(text, (err) => (err ? reject(err) : resolve()));
  });
}

export async function runScript(session: PlaySession, input: Readable, output: Writable, opts: ScriptOptions): Promise<boolean> {
  if (!opts.json && opts.showOpening) {
    const opening = blocksToPlainText(session.open().blocks);
    if (opening) await writeFlushed(output, opening + '\n');
  } else {
    session.open();
  }
  const rl = createInterface({ input, crlfDelay: Infinity, terminal: false });
  let quit = false;
  for await (const raw of rl) {
    const line = raw.replace(/\r$/, '');
    const prompt = session.prompt();
    const res = await session.handle(line);
    const text = blocksToPlainText(res.blocks);
    if (opts.json) {
      await writeFlushed(output, JSON.stringify({ input: line, output: text }) + '\n');
    } else {
      // each line appears after its prompt, as it would on a terminal
      await writeFlushed(output, `${prompt}${line}\n${text ? text + '\n' : ''}`);
    }
    if (res.quit) {
      quit = true;
      break;
    }
  }
  rl.close();
  if (quit) input.resume();
  await session.close();
  const result = session.result();
  if (opts.json) {
    await writeFlushed(output, JSON.stringify({ result }) + '\n');
  } else {
    await writeFlushed(
      output,
      `\n-- ${result.solved ? 'solved' : 'not solved'}: chapter ${result.chapter}, ${result.spells} spells, ${result.hints} hints, ${result.virtualTime} of machine time --\n`,
    );
  }
  return result.solved;
}
