/**
 * A small, pure wrapper over the inkjs runtime: the engine asks for a knot, gets plain data back.
 *
 * Conventions (shared by every chapter's .ink):
 * - Speaker: a dialogue line carries a `# speaker: Name` tag. The runner moves it into
 *   `line.speaker` and leaves the other tags, trimmed, in `line.tags`. A line without a speaker
 *   tag is narration (the grimoire's own voice). A `Name: text` prefix is NOT parsed: it stays text.
 * - Lines: one InkLine per ink line, trailing newline removed. Blank lines without tags are dropped.
 * - Choices: `index` is 0-based and is what `choose()` takes (front ends may show index + 1).
 * - Externals: every EXTERNAL the story uses must be bound (checked at construction). They are bound
 *   lookahead-safe, so ink may call them more than once per line: they must be pure reads.
 *   They must return a boolean, a finite number or a string; anything else throws.
 * - Errors: ink runtime errors throw an InkRunnerError listing every message; ink runtime warnings
 *   are returned in `InkOutput.warnings` (absent when there are none).
 *
 * No I/O, no clock, no randomness beyond ink's own seeded state (which is part of saveState()).
 */
// Not `from 'inkjs'`: under module node16 that root's types are an ES module (ink.d.mts) and
// TypeScript refuses to require() it (TS1479). The engine/* subpath is the same runtime, as CommonJS.
import { Story } from 'inkjs/engine/Story';
import { Path } from 'inkjs/engine/Path';
import type { Container } from 'inkjs/engine/Container';
import type { ListDefinition } from 'inkjs/engine/ListDefinition';

/**
 * A compiled story's content as ink's runtime holds it, built once per story JSON: every game of a
 * process (a restore, a rollback, a second player) shares it. ink never changes its content while
 * it runs; what a game changes (variables, visit counts, the flow) lives in the Story's own state.
 */
interface Content {
  root: Container;
  lists: ListDefinition[] | null;
}
const contentByJson = new WeakMap<object, Content>();
/** the externals a story's content was last found complete with */
const validatedNames = new WeakMap<Container, string[]>();

function storyOf(json: object | string): Story {
  const story = typeof json === 'string' ? new Story(json) : newStory(json);
  // ink seeds its shuffles and RANDOM() from the wall clock when a story starts; the engine has no clock
  story.state.storySeed = 0;
  return story;
}

function newStory(json: object): Story {
  const content = contentByJson.get(json);
  if (!content) {
    const first = new Story(json as Record<string, unknown>);
    // the Story's own getters hand out the content it built: kept for the next game of this story
    contentByJson.set(json, { root: first.mainContentContainer, lists: first.listDefinitions?.lists ?? null });
    return first;
  }
  const story = new Story(content.root, content.lists);
  story.ResetState();
  return story;
}

export interface InkLine {
  text: string;
  speaker?: string;
  tags: string[];
}

interface InkChoice {
  /** 0-based; pass it to choose() */
  index: number;
  text: string;
}

export interface InkOutput {
  lines: InkLine[];
  /** non-empty while a conversation waits for the player; empty when the flow has ended */
  choices: InkChoice[];
  /** ink runtime warnings, if any (never set when empty) */
  warnings?: string[];
}

type ExternalValue = boolean | number | string;
/** What the engine binds: a pure read of the simulation. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ExternalFunction = (...args: any[]) => unknown;

export class InkRunnerError extends Error {
  constructor(
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(details.length > 0 ? `${message}:\n  ${details.join('\n  ')}` : message);
    this.name = 'InkRunnerError';
  }
}

const SPEAKER_TAG = /^speaker\s*:\s*(.*)$/i;

/** Splits ink tags into the speaker (if any) and the remaining tags. */
export function splitSpeaker(rawTags: readonly string[] | null | undefined): { speaker?: string; tags: string[] } {
  let speaker: string | undefined;
  const tags: string[] = [];
  for (const raw of rawTags ?? []) {
    const tag = raw.trim();
    const m = SPEAKER_TAG.exec(tag);
    if (m && m[1].trim() !== '') speaker = m[1].trim();
    else if (tag !== '') tags.push(tag);
  }
  return speaker === undefined ? { tags } : { speaker, tags };
}

export class InkRunner {
  private readonly story: Story;
  private errors: string[] = [];
  private warnings: string[] = [];

  constructor(json: object | string, externals: Record<string, ExternalFunction>, savedState?: string) {
    try {
      this.story = storyOf(json);
    } catch (e) {
      throw new InkRunnerError('cannot load the compiled story', [messageOf(e)]);
    }
    this.story.onError = (message, type) => {
      // inkjs ErrorType: Author = 0, Warning = 1, Error = 2
      if (type === 2) this.errors.push(message);
      else this.warnings.push(message);
    };
    for (const [name, fn] of Object.entries(externals)) {
      this.story.BindExternalFunction(name, (...args: unknown[]) => checkedResult(name, fn(...args)), true);
    }
    const names = Object.keys(externals);
    const validated = validatedNames.get(this.story.mainContentContainer);
    if (validated?.every((n) => names.includes(n))) {
      // every external this content calls was bound here too: a walk of the whole story would say so again
      (this.story as unknown as { _hasValidatedExternals: boolean })._hasValidatedExternals = true;
    } else {
      try {
        this.story.ValidateExternalBindings();
      } catch (e) {
        throw new InkRunnerError('the story uses externals that were not bound', [messageOf(e)]);
      }
      validatedNames.set(this.story.mainContentContainer, names);
    }
    if (savedState !== undefined) {
      try {
        this.story.state.LoadJson(savedState);
      } catch (e) {
        throw new InkRunnerError('cannot restore the saved ink state (was it saved with another story version?)', [
          messageOf(e),
        ]);
      }
    }
  }

  /** Starts the flow at a knot (or knot.stitch) and runs it until it ends or offers choices. */
  run(knotPath: string): InkOutput {
    if (!this.hasKnot(knotPath)) throw new InkRunnerError(`the story has no knot '${knotPath}'`);
    this.story.ChoosePathString(knotPath);
    return this.continueMaximally();
  }

  /** Picks one of the current choices (0-based index) and runs on. */
  choose(index: number): InkOutput {
    const n = this.story.currentChoices.length;
    if (!Number.isInteger(index) || index < 0 || index >= n) {
      throw new InkRunnerError(
        n === 0 ? 'there is no choice to make right now' : `choice ${index} is out of range (0..${n - 1})`,
      );
    }
    this.story.ChooseChoiceIndex(index);
    return this.continueMaximally();
  }

  /** The choices waiting for the player (empty when no conversation is open), as in the last output. */
  currentChoices(): InkChoice[] {
    return this.story.currentChoices.map((c) => ({ index: c.index, text: c.text }));
  }

  /** True while the story waits for choose(). */
  get awaitingChoice(): boolean {
    return this.story.currentChoices.length > 0;
  }

  /** Does a knot, or knot.stitch, exist? */
  hasKnot(path: string): boolean {
    if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(path)) return false;
    if (!path.includes('.')) return this.story.KnotContainerWithName(path) !== null;
    const found = this.story.ContentAtPath(new Path(path));
    return !found.approximate && found.obj !== null;
  }

  getVariable(name: string): unknown {
    return this.story.variablesState.$(name);
  }

  setVariable(name: string, value: ExternalValue): void {
    if (!this.story.variablesState.GlobalVariableExistsWithName(name)) {
      throw new InkRunnerError(`the story declares no variable '${name}'`);
    }
    this.story.variablesState.$(name, value);
  }

  /** The whole ink state (variables, visit counts, an open conversation) as a JSON string. */
  saveState(): string {
    return this.story.state.ToJson();
  }

  private continueMaximally(): InkOutput {
    const lines: InkLine[] = [];
    this.errors = [];
    this.warnings = [];
    while (this.story.canContinue) {
      const raw = this.story.Continue() ?? '';
      this.throwOnErrors();
      const text = raw.replace(/\s+$/, '');
      const { speaker, tags } = splitSpeaker(this.story.currentTags);
      if (text.trim() === '' && tags.length === 0 && speaker === undefined) continue;
      lines.push(speaker === undefined ? { text, tags } : { text, speaker, tags });
    }
    this.throwOnErrors();
    const out: InkOutput = { lines, choices: this.currentChoices() };
    if (this.warnings.length > 0) out.warnings = [...this.warnings];
    return out;
  }

  private throwOnErrors(): void {
    if (this.errors.length === 0) return;
    const errors = this.errors;
    this.errors = [];
    throw new InkRunnerError('ink runtime error', errors);
  }
}

function checkedResult(name: string, value: unknown): ExternalValue {
  if (typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new InkRunnerError(
    `external ${name}() returned ${value === null ? 'null' : typeof value === 'number' ? String(value) : typeof value}; ` +
      'externals must return a boolean, a finite number or a string',
  );
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
