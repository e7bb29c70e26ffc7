/**
 * The engine speaks to front ends only through typed output blocks. Front ends decide
 * how each kind looks (colour in a terminal, embeds in Discord, plain text in scripts).
 */
export type OutputBlock =
  /** Words from the story (ink): briefings, colleagues, reactions, debrief. */
  | { kind: 'narration'; text: string; speaker?: string }
  /** What a spell printed on its standard output, exactly as the real tool would. */
  | { kind: 'spell-output'; text: string }
  /** What a spell printed on standard error, or the shell's own complaints. */
  | { kind: 'error'; text: string }
  /** A graduated hint. level is 1-based; the last level gives the answer away. */
  | { kind: 'hint'; level: number; total: number; text: string }
  /** An objective changed state. */
  | { kind: 'objective'; id: string; label: string; status: ObjectiveStatus; detail?: string }
  /** The player learned something worth remembering. */
  | { kind: 'journal'; id: string; text: string }
  /** A menu of numbered choices (talking to colleagues). */
  | { kind: 'choices'; prompt?: string; options: { index: number; text: string }[] }
  /** A heading: chapter titles, section breaks. */
  | { kind: 'title'; text: string; subtitle?: string }
  /** The answer to `status`: every objective with its current state. */
  | { kind: 'status'; objectives: ObjectiveView[]; solved: boolean; virtualTime: string }
  /** Something the game itself says (time passed, the machine went down, a save written). */
  | { kind: 'system'; text: string }
  /** The player cast a spell for the first time; it is now in their spellbook (`man NAME` explains it). */
  | { kind: 'spell-learned'; name: string }
  /** The chapter is over. */
  | { kind: 'chapter-end'; chapter: string; solved: boolean }
  /**
   * A spell drew a chart on the terminal: its data, for a front end that draws charts itself.
   * It follows the spell's output, which holds the chart as text; a front end that shows only
   * text has nothing more to show for it.
   */
  | { kind: 'chart'; chart: Chart };

/** A chart's data: series of values over a common axis, with their labels and units. */
export interface Chart {
  title: string;
  /** what the horizontal axis counts, oldest or lowest first, e.g. 'publishes, oldest first' */
  x: { label: string };
  y: { label: string; unit: string };
  /** each series has one value per step of x */
  series: { label: string; values: number[] }[];
  /** the figures the spell printed under the chart (median, p99...), one line each */
  summary: string[];
  /** exactly what the spell printed for the chart, so a front end that draws it can show it instead */
  printed: string;
}

export type ObjectiveStatus = 'pending' | 'holding' | 'failing' | 'done';

export interface ObjectiveView {
  id: string;
  label: string;
  status: ObjectiveStatus;
  detail?: string;
}

/** A JSON value; the whole game state must be made of these. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
