import type { ChapterProgress } from '../chapter';

/**
 * The bookkeeping every chapter's story events share, kept in the player's progress notes: a fix
 * coming into effect or going away is announced once, and wrong fixes the player tried wait in a
 * queue (knot:kind) until the engine drains the chapter's events after the spell.
 */
type Notes = ChapterProgress['notes'];

/** a wrong fix tried for the first time: its kind is remembered and its knot queued */
export function tryWrongFix(notes: Notes, knot: string, kind: string): void {
  notes.wrongFix = kind;
  const tried = Array.isArray(notes.wrongFixes) ? (notes.wrongFixes as string[]) : [];
  if (tried.includes(kind)) return;
  notes.wrongFixes = [...tried, kind];
  queueEvent(notes, knot, kind);
}

/** queues a knot for the next drain, with the kind wrong_fix_kind() reads while it runs (once per knot and kind) */
export function queueEvent(notes: Notes, knot: string, kind: string): void {
  const q = Array.isArray(notes.events) ? (notes.events as string[]) : [];
  if (!q.includes(`${knot}:${kind}`)) q.push(`${knot}:${kind}`);
  notes.events = q;
}

/** the knot for a fix that has just come into effect, or for one that has just gone */
export function fixChanged(notes: Notes, kind: string, knots: { applied: string; regressed: string }): string[] {
  if (kind !== 'none' && notes.fixAnnounced !== kind) {
    notes.fixAnnounced = kind;
    return [knots.applied];
  }
  if (kind === 'none' && typeof notes.fixAnnounced === 'string') {
    delete notes.fixAnnounced;
    return [knots.regressed];
  }
  return [];
}

/** the queued knots, in order; wrong_fix_kind() then reads the kind of the last one */
export function drainQueued(notes: Notes): string[] {
  const queued = Array.isArray(notes.events) ? (notes.events as string[]) : [];
  notes.events = [];
  return queued.map((q) => {
    const [knot, kind] = q.split(':');
    notes.wrongFix = kind ?? notes.wrongFix ?? 'none';
    return knot!;
  });
}
