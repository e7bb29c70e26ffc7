/**
 * What a button or a modal carries in its custom_id (at most 100 characters): the action and
 * the session it acts on, so a click can be checked against who clicked. The application is the
 * interaction's own, so the id names only the place and the player:
 *
 *   g1:<action>:<guild id or dm>.<user id>[:<argument>]
 *
 * A party's game (one per channel) is named by `p` and the channel id where the user id would be.
 */
export type Action = 'cast' | 'spell' | 'choose';

export interface CustomId {
  action: Action;
  scope: string;
  user: string;
  arg?: string;
}

const PATTERN = /^g1:(cast|spell|choose):(dm|\d{1,20})\.(p?\d{1,20})(?::(\d{1,3}))?$/;

export function encodeCustomId(c: CustomId): string {
  return `g1:${c.action}:${c.scope}.${c.user}${c.arg !== undefined ? `:${c.arg}` : ''}`;
}

/** null for anything this bot did not make (a forged or foreign custom_id) */
export function decodeCustomId(raw: unknown): CustomId | null {
  if (typeof raw !== 'string' || raw.length > 100) return null;
  const m = PATTERN.exec(raw);
  if (!m) return null;
  return { action: m[1] as Action, scope: m[2]!, user: m[3]!, ...(m[4] !== undefined ? { arg: m[4] } : {}) };
}
