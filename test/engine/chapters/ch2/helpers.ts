/**
 * Chapter 2's machine, played through the engine's shell by a small chapter that exists only in
 * these tests (the real chapter's module, story and judge are written elsewhere): it registers
 * the ch2 scenario's world under its own id and answers nothing but the machine's spells.
 */
import { join } from 'node:path';
import type { ChapterModule } from '../../../../engine/chapter';
import { registerChapter } from '../../../../engine/chapters/registry';
import { createCh2World } from '../../../../engine/chapters/ch2/sim/create';
import '../../../../engine/chapters/ch2/sim/scenario';
import type { Ch2World } from '../../../../engine/chapters/ch2/sim/world';
import { createGame, type GameHandle } from '../../../../engine/index';
import { bindMachine } from '../../../../engine/machine/bind';
import type { RngStreams } from '../../../../engine/rng';
import type { Json } from '../../../../engine/types';
import { blocksToPlainText } from '../../../../src/text/plain';

// the build's own ink compiler, as a library
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { compileInk } = require('../../../../scripts/compile-ink.js') as { compileInk(file: string, opts?: { dirLabel?: string }): { json: string | null; hash: string | null; messages: string[] } };

let story: { json: object; version: string } | null = null;

/** the stub chapter's story serves: it needs only hostname() and pings() */
function loadStory(): { json: object; version: string } {
  const r = compileInk(join(__dirname, '..', '..', '..', 'fixtures', 'stub-chapter', 'story.ink'), { dirLabel: 'stub-chapter' });
  if (r.json === null) throw new Error(r.messages.join('\n'));
  return { json: JSON.parse(r.json) as object, version: r.hash! };
}

export const CH2_TEST_ID = 'ch2-machine';

const machineOnly: ChapterModule = {
  info: { id: CH2_TEST_ID, number: 98, title: 'the web box', blurb: 'Chapter 2’s machine on its own.' },
  objectives: [{ id: 'app', label: 'The publisher runs', kind: 'condition' }],
  hintLevels: 2,
  story: () => (story ??= loadStory()),
  createWorld: (streams: RngStreams) => createCh2World(streams) as unknown as Json,
  bind: (worldJson: Json, streams: RngStreams) => {
    const w = worldJson as unknown as Ch2World;
    const machine = bindMachine(w, streams);
    return {
      machine: machine.binding,
      spells: [],
      judge: {
        verdicts: () => ({ app: w.app.pid > 0 ? { status: 'holding', detail: 'running' } : { status: 'failing', detail: 'publisher is down' } }),
        fixInEffect: () => false,
        detectClues: () => [],
        journalEntry: () => '',
        drainEvents: () => [],
      },
      story: { externals: () => ({ hostname: () => w.p.hostname, pings: () => 0 }) },
    };
  },
};

let registered = false;

export function newCh2Game(seed: number): GameHandle {
  if (!registered) {
    registerChapter(machineOnly);
    registered = true;
  }
  const g = createGame(CH2_TEST_ID, seed);
  g.start();
  return g;
}

export const say = (g: GameHandle, line: string): string => blocksToPlainText(g.step(line));

/** the world inside a game (a copy: the saved state) */
export function worldOf(g: GameHandle): Ch2World {
  return (g.snapshot().state as unknown as { world: Ch2World }).world;
}
