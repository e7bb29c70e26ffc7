import { fail, pass, type CheckItem } from '../checklist';
import type { LoadedChapter } from '../loadChapter';
import { newGame, roundTrip, stepAll, why } from '../runner';
import { blocksToPlainText } from '../../text/plain';
import type { Played, Script } from './scripts';

/** The last hint gives the answer: each ANSWER line, which a walkthrough also uses. */
export function checkHintLadder(chapter: LoadedChapter, id: string, seed: number, walkthroughs: readonly Script[]): CheckItem[] {
  const title = 'the hint ladder ends in the answer';
  const answer = chapter.contract.ANSWER;
  if (answer.length === 0) return [fail(title, 'ANSWER in storyContract.ts is empty: list the line(s) that fix the incident')];
  let last = '';
  try {
    const { game } = newGame(id, seed);
    for (let i = 0; i < chapter.module.hintLevels; i++) last = blocksToPlainText(game.step('hint'));
  } catch (e) {
    return [fail(title, `the game stopped with an error while giving hints: ${why(e)}`)];
  }
  const absent = answer.filter((a) => !last.includes(a));
  if (absent.length) return [fail(title, `hint ${chapter.module.hintLevels} of ${chapter.module.hintLevels} does not contain: ${absent.join(' / ')}\nit says: ${last.trim()}`)];
  const unused = answer.filter((a) => !walkthroughs.some((w) => w.lines.some((l) => l.includes(a))));
  if (unused.length) return [fail(title, `no walkthrough uses the answer: ${unused.join(' / ')}`)];
  return [pass(title, `hint ${chapter.module.hintLevels}`)];
}

/** Two seeds give two different worlds, and the player sees the difference. */
export function checkSeeds(id: string, seeds: readonly [number, number], runs: readonly [Played, Played]): CheckItem[] {
  const title = `seeds ${seeds[0]} and ${seeds[1]} give different details`;
  try {
    const worlds = seeds.map((s) => JSON.stringify((newGame(id, s).game.snapshot().state as { world?: unknown }).world ?? null));
    if (worlds[0] === worlds[1]) return [fail(title, 'the two worlds are identical: createWorld draws nothing from its random streams')];
  } catch (e) {
    return [fail(title, `the game stopped with an error: ${why(e)}`)];
  }
  const seen = runs.map((r) => [blocksToPlainText(r.opening), ...r.steps.map((s) => s.text)].join('\n'));
  if (seen[0] === seen[1]) return [fail(title, 'the walkthrough shows the same text under both seeds: nothing the player sees depends on the seed')];
  const at = runs[0].steps.findIndex((s, i) => s.text !== runs[1].steps[i]?.text);
  return [pass(title, at >= 0 ? `first at \`${runs[0].steps[at]!.line}\`` : 'in the briefing')];
}

/** Saving and loading halfway through the walkthrough changes nothing that follows. */
export function checkSaveLoad(id: string, seed: number, walkthrough: Script | undefined, straight: Played | undefined): CheckItem[] {
  const title = 'a save/load round trip mid-walkthrough changes nothing';
  if (!walkthrough || !straight || straight.error) return [fail(title, 'no walkthrough ran to compare with')];
  const k = Math.floor(walkthrough.lines.length / 2);
  try {
    const { game } = newGame(id, seed);
    stepAll(game, walkthrough.lines.slice(0, k));
    const after = stepAll(roundTrip(game), walkthrough.lines.slice(k));
    for (let i = 0; i < after.length; i++) {
      const want = straight.steps[k + i]!.text;
      if (after[i]!.text !== want) {
        return [fail(title, `after loading a save made after line ${k}, line ${k + i + 1} (\`${after[i]!.line}\`) answers differently:\n  straight through: ${firstDiff(want, after[i]!.text)[0]}\n  after the load:   ${firstDiff(want, after[i]!.text)[1]}\nsomething the chapter keeps is not in the saved world`)];
      }
    }
  } catch (e) {
    return [fail(title, `the game stopped with an error: ${why(e)}`)];
  }
  return [pass(title, `saved after line ${k} of ${walkthrough.lines.length}`)];
}

/** the first line where two texts differ */
function firstDiff(a: string, b: string): [string, string] {
  const x = a.split('\n');
  const y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) if (x[i] !== y[i]) return [JSON.stringify(x[i] ?? ''), JSON.stringify(y[i] ?? '')];
  return ['', ''];
}
