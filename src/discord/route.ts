import { InteractionType } from 'discord-api-types/v10';
import { decodeCustomId } from './customId';

/**
 * Which game an interaction acts on, worked out before it is handed to a worker thread (pool.ts),
 * so that every step of one game goes to the same worker, in arrival order. It follows app.ts:
 * a party's command or button acts on the channel's game (user `p<channel>`), anything else on
 * the clicker's own game. An interaction that names no game (a malformed one, which the bot
 * refuses) goes anywhere: it touches nothing.
 */
const ID = /^\d{1,20}$/;
const field = (o: unknown, k: string): unknown => (typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[k] : undefined);
const id = (v: unknown): string | null => (typeof v === 'string' && ID.test(v) ? v : null);

export interface Route {
  /** the game's id as sessions.ts names it (application.scope.user), or '' for none */
  game: string;
  /** whether its replies are seen by the channel (a party's) rather than by the player alone */
  public: boolean;
}

export function routeOf(i: unknown): Route {
  const app = id(field(i, 'application_id'));
  const guild = field(i, 'guild_id') === undefined || field(i, 'guild_id') === null ? 'dm' : id(field(i, 'guild_id'));
  const user = id(field(field(field(i, 'member'), 'user'), 'id')) ?? id(field(field(i, 'user'), 'id'));
  const channel = id(field(field(i, 'channel'), 'id')) ?? id(field(i, 'channel_id'));
  if (!app || !guild || !user) return { game: '', public: false };
  const type = field(i, 'type');
  const data = field(i, 'data');
  if (type === InteractionType.MessageComponent || type === InteractionType.ModalSubmit) {
    const c = decodeCustomId(field(data, 'custom_id'));
    if (c && c.user.startsWith('p') && c.scope === guild) return { game: `${app}.${guild}.${c.user}`, public: c.action !== 'cast' };
  } else if (type === InteractionType.ApplicationCommand && field(data, 'name') === 'party' && guild !== 'dm' && channel) {
    return { game: `${app}.${guild}.p${channel}`, public: true };
  }
  return { game: `${app}.${guild}.${user}`, public: false };
}

/** FNV-1a: a game's worker, the same in every process */
export function workerOf(game: string, workers: number): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < game.length; k++) {
    h ^= game.charCodeAt(k);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % workers;
}
