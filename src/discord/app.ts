import {
  ComponentType,
  ApplicationCommandOptionType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  TextInputStyle,
  type APIApplicationCommandInteractionDataOption,
  type APIInteraction,
} from 'discord-api-types/v10';
import type { GameInspection, OutputBlock } from '../../engine/index';
import { findChapter } from '../../engine/index';
import { DISCORD_ATTACHMENT_ORIGINS, exportAttachment, importAttachment, type AttachmentInfo } from './attachments';
import { COMMAND_LINES, MAX_SPELL_CHARS, hostFileLine } from './commands';
import { decodeCustomId, encodeCustomId } from './customId';
import { cleanSpell, escapeMarkdown } from './escape';
import { MAX_ATTACHMENT_BYTES, renderMessages, type DiscordMessage } from './render';
import type { HttpReply, InteractionHandler } from './server';
import { keyId, type SessionAccess, type SessionKey, type SessionManager } from './sessions';
import { InteractionWebhook, messageData } from './webhook';
import type { OutgoingFile } from './wire';
import { countOf } from '../text/plain';

/**
 * What the bot does with each verified interaction: who is asking (the session key), what they
 * asked for (a command, a button, the Cast modal), and the answer. A game step takes the
 * session's lock, runs one line through the shared GameSession (which saves it), and is
 * answered within Discord's three seconds: directly when it is done in time, otherwise with a
 * deferred answer (type 5) and then the interaction webhook (PATCH @original, then follow-ups).
 */
export interface BotOptions {
  applicationId: string;
  apiBase: string;
  sessions: SessionManager;
  /** answer with type 5 if the step is not done by then (Discord allows 3 s; the rest is margin for the network) */
  deferAfterMs?: number;
  /** members with this role facilitate every party (hint, pause, resume, end), beside whoever started it */
  facilitatorRole?: string | null;
  /** where /import may fetch attachments from (default Discord's file servers; tests add a local stub) */
  attachmentOrigins?: readonly string[];
  log?: (message: string) => void;
}

export const DEFAULT_DEFER_AFTER_MS = 1500;

/**
 * What a facilitator goes through with the team once the party ends: the chapter's own account of
 * what was wrong, the clues the party found out of all there were, the wrong fixes it tried, and
 * the hints it took; the party's transcript attached for the retrospective.
 */
export function debriefMessage(view: GameInspection, transcript: OutgoingFile): DiscordMessage {
  const lines = [
    ...(view.diagnosis ? [`**What was wrong.** ${escapeMarkdown(view.diagnosis)}`, ''] : []),
    `**Clues found:** ${view.clues.found.length} of ${view.clues.found.length + view.clues.notFound.length}.`,
    `**Wrong fixes tried:** ${view.wrongFixes.length === 0 ? 'none' : view.wrongFixes.map(escapeMarkdown).join(', ')}.`,
    `**Hints:** ${view.hints.used} of ${view.hints.total}.`,
    '',
    `The whole party, line by line, is in ${escapeMarkdown(transcript.name)}.`,
  ];
  return { embeds: [{ color: 0x2d4b8e, title: view.solved ? 'Debrief' : 'Debrief (not solved)', description: lines.join('\n').slice(0, 4096) }], files: [transcript] };
}

const EPHEMERAL = MessageFlags.Ephemeral;

function note(text: string): HttpReply {
  return { json: { type: InteractionResponseType.ChannelMessageWithSource, data: messageData({ content: text }) } };
}

/** a signed body is Discord's, but it is still read defensively: a field of the wrong shape is as if absent */
const ID = /^\d{1,20}$/;
const idOrNull = (v: unknown): string | null => (typeof v === 'string' && ID.test(v) ? v : null);
const field = (o: unknown, k: string): unknown => (typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[k] : undefined);

function userOf(i: APIInteraction): string | null {
  return idOrNull(field(field(i.member, 'user'), 'id')) ?? idOrNull(field(i.user, 'id'));
}

function channelOf(i: APIInteraction): string | null {
  return idOrNull(field(i.channel, 'id')) ?? idOrNull(i.channel_id);
}

/** how a player is named in a party's channel, escaped */
function nameOf(i: APIInteraction): string {
  const u = field(i.member, 'user') ?? i.user;
  const raw = [field(i.member, 'nick'), field(u, 'global_name'), field(u, 'username')].find((v): v is string => typeof v === 'string' && v.length > 0) ?? 'someone';
  return escapeMarkdown(raw.slice(0, 32));
}

const PUBLIC = { ephemeral: false } as const;
const PRIVATE = { ephemeral: true } as const;
type Visibility = { ephemeral: boolean };

function keyOf(i: APIInteraction): SessionKey | null {
  const user = userOf(i);
  const application = idOrNull(i.application_id);
  const guild = i.guild_id === undefined || i.guild_id === null ? 'dm' : idOrNull(i.guild_id);
  if (!user || !application || !guild) return null;
  return { application, scope: guild, user };
}

function roleList(i: APIInteraction): unknown[] {
  const roles = field(i.member, 'roles');
  return Array.isArray(roles) ? roles : [];
}

/** what to do under the session's lock; resolves with the messages to send */
type Step = (s: SessionAccess) => Promise<DiscordMessage[]>;

export function createBot(opts: BotOptions): InteractionHandler {
  const log = opts.log ?? ((m: string) => process.stderr.write(`grimoire discord: ${m}\n`));
  const webhook = new InteractionWebhook(opts.apiBase, opts.applicationId, log);
  const deferAfter = opts.deferAfterMs ?? DEFAULT_DEFER_AFTER_MS;
  const sessions = opts.sessions;

  const owner = (key: SessionKey) => ({ scope: key.scope, user: key.user });

  /** blocks of a step as messages, the spell echoed after the game's prompt */
  const show = (key: SessionKey, blocks: OutputBlock[], echo?: string, attribution?: string): DiscordMessage[] => renderMessages(blocks, { echo, owner: owner(key), attribution });

  const noGame = (problem: string | null): DiscordMessage[] => [
    { content: problem ? `${escapeMarkdown(problem)}\nYour game could not be opened; /play chapter:N starts a new one (the damaged save is kept).` : 'No game in progress: /play chapter:1 opens the grimoire.' },
  ];

  /** one line through the game in progress */
  const lineStep = (key: SessionKey, line: string, echo = true, attribution?: string): Step => async (s) => {
    const { session, problem } = await s.current();
    if (!session) return noGame(problem);
    if (key.user.startsWith('p')) {
      // checked again under the lock: the party may have been paused or ended while this waited
      const state = await s.partyState();
      if (!state) return [{ content: 'The party in this channel has ended.' }];
      if (state.paused && line !== 'hint' && line !== 'status') return [{ content: 'The party is paused; a facilitator can /party resume it.' }];
    }
    const opening = session.open().blocks;
    const prompt = session.prompt();
    const out = await session.handle(line);
    if (out.quit) await s.release();
    return show(key, [...opening, ...out.blocks], echo ? `${prompt}${line}` : undefined, attribution);
  };

  /**
   * Runs a step under the session's lock and answers: directly if it is done within deferAfter
   * (and nothing was queued before it), else deferred and finished through the webhook.
   */
  const runStep = async (i: APIInteraction, key: SessionKey, step: Step, respond: (r: HttpReply) => Promise<void>, seen: Visibility = PRIVATE): Promise<void> => {
    let state: 'waiting' | 'deferred' | 'answered' = 'waiting';
    let deferral: Promise<void> | null = null;
    const defer = (): void => {
      if (state !== 'waiting') return;
      state = 'deferred';
      deferral = respond({ json: { type: InteractionResponseType.DeferredChannelMessageWithSource, data: seen.ephemeral ? { flags: EPHEMERAL } : {} } });
    };
    // a session with steps queued answers late for sure: say so at once
    const timer = sessions.pending(key) > 0 ? (defer(), null) : setTimeout(defer, deferAfter);
    let messages: DiscordMessage[];
    try {
      messages = await sessions.withSession(key, async (s) => {
        // the engine's step runs without yielding: let a due deferral go out first
        await new Promise((resolve) => setImmediate(resolve));
        return step(s);
      });
    } catch (e) {
      log(`step for ${key.scope}.${key.user} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      messages = [{ content: 'Something went wrong on the bot\'s side; the game is as it was after your last answered step.' }];
    } finally {
      if (timer) clearTimeout(timer);
    }
    const [first, ...rest] = messages;
    // files go out through the webhook, whose multipart uploads Discord documents; the HTTP answer stays JSON
    if (state === 'waiting' && first!.files && first!.files.length > 0) defer();
    if (state === 'waiting') {
      state = 'answered';
      await respond({ json: { type: InteractionResponseType.ChannelMessageWithSource, data: messageData(first!, seen) } });
    } else {
      await deferral;
      await webhook.editOriginal(i.token, first!);
    }
    for (const m of rest) await webhook.followUp(i.token, m, seen.ephemeral);
  };

  /** answers "thinking" at once, then delivers what `work` makes through the webhook (for work that waits on the network) */
  const deferThen = async (i: APIInteraction, respond: (r: HttpReply) => Promise<void>, work: () => Promise<DiscordMessage[]>): Promise<void> => {
    await respond({ json: { type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: EPHEMERAL } } });
    let messages: DiscordMessage[];
    try {
      messages = await work();
    } catch (e) {
      log(`interaction ${i.id} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      messages = [{ content: "Something went wrong on the bot's side; the game is as it was." }];
    }
    const [first, ...rest] = messages;
    await webhook.editOriginal(i.token, first!);
    for (const m of rest) await webhook.followUp(i.token, m);
  };

  /** /export: the game in progress as an export file attached to the reply */
  const exportStep = (key: SessionKey): Step => async (s) => {
    const { session, problem } = await s.current();
    if (!session) return noGame(problem);
    const saved = await s.store().read('autosave');
    if ((saved.status !== 'ok' && saved.status !== 'recovered') || saved.save.history.join('\n') !== session.history().join('\n')) {
      return [{ content: 'Your game could not be exported: its save is not the game as it is now. Cast a spell (it saves) and try again.' }];
    }
    const file = exportAttachment(saved.save);
    if ('error' in file) return [{ content: file.error }];
    const r = session.result();
    return [{ content: `Your game of chapter ${r.chapter} (${r.virtualTime} in) as a file: whoever gets it can /import it.`, files: [file] }];
  };

  /** a sitting's transcript as a Markdown attachment, cut at Discord's upload size */
  const transcriptFile = (session: { transcriptMarkdown(): string; chapter: string; seed: number }, name: string): { file: OutgoingFile; cut: boolean } => {
    const bytes = Buffer.from(session.transcriptMarkdown());
    const cut = bytes.length > MAX_ATTACHMENT_BYTES;
    return { file: { name, data: cut ? bytes.subarray(0, MAX_ATTACHMENT_BYTES) : bytes, contentType: 'text/markdown; charset=utf-8' }, cut };
  };

  /** /transcript: what was cast and shown since the game was opened on the bot, as the terminal's `transcript` writes it */
  const transcriptStep: Step = async (s) => {
    const { session, problem } = await s.current();
    if (!session) return noGame(problem);
    const { file, cut } = transcriptFile(session, `transcript-ch${session.chapter}-${session.seed}.md`);
    const what = 'The transcript of this sitting (every spell and what it showed since the bot last opened your game), as Markdown';
    return [{ content: cut ? `${what}; it is cut at ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MiB.` : `${what}.`, files: [file] }];
  };

  /** /import file:<attachment>: fetched and checked before the lock is taken; then it becomes the game in progress */
  const importFile = (i: APIInteraction, key: SessionKey, options: APIApplicationCommandInteractionDataOption[] | undefined, respond: (r: HttpReply) => Promise<void>): Promise<void> => {
    const id = stringOption(options, 'file');
    const resolved = i.data && 'resolved' in i.data ? (i.data.resolved as { attachments?: Record<string, AttachmentInfo> } | undefined) : undefined;
    const attachment = typeof id === 'string' ? resolved?.attachments?.[id] : undefined;
    if (typeof attachment !== 'object' || attachment === null) return respond(note('Attach the export file: /import file:<the file>.'));
    return deferThen(i, respond, async () => {
      const got = await importAttachment(attachment, opts.attachmentOrigins ?? DISCORD_ATTACHMENT_ORIGINS);
      if (!got.ok) return [{ content: escapeMarkdown(got.message) }];
      return sessions.withSession(key, async (s) => {
        try {
          const { blocks } = await s.adopt(got.save, got.name);
          const m = got.save.meta;
          return show(key, [{ kind: 'system', text: `Imported ${got.name}: chapter ${m.chapter}, ${m.progress}, ${m.virtualTime} in.` }, ...blocks]);
        } catch (e) {
          return [{ content: `${escapeMarkdown(e instanceof Error ? e.message : String(e))} Nothing was imported.` }];
        }
      });
    });
  };

  const stringOption = (options: APIApplicationCommandInteractionDataOption[] | undefined, name: string): unknown => {
    const o = options?.find((x) => x.name === name);
    return o && 'value' in o ? o.value : undefined;
  };

  /** a spell from /cast, /party cast or the modal: checked, then cast (in a party, in front of the channel and signed) */
  const castLine = (i: APIInteraction, key: SessionKey, raw: unknown, respond: (r: HttpReply) => Promise<void>): Promise<void> => {
    if (typeof raw !== 'string') return respond(note('Which spell? /cast spell:free -m'));
    if (raw.length > MAX_SPELL_CHARS) return respond(note(`A spell is at most ${MAX_SPELL_CHARS} characters; this one has ${raw.length}.`));
    const line = cleanSpell(raw);
    if (line === '') return respond(note('Which spell? /cast spell:free -m'));
    const file = hostFileLine(line);
    if (file) return respond(note(`\`${file}\` reads or writes files on the player's own disk, which here would be the bot's: on Discord, /export sends your game as a file, /import takes one and /transcript sends the transcript. Your saves are kept for you (/saves).`));
    if (key.user.startsWith('p')) return runStep(i, key, lineStep(key, line, true, `**${nameOf(i)}** casts:`), respond, PUBLIC);
    return runStep(i, key, lineStep(key, line), respond);
  };

  const facilitates = (i: APIInteraction, starter: string): boolean => {
    if (userOf(i) === starter) return true;
    const role = opts.facilitatorRole;
    return !!role && roleList(i).includes(role);
  };

  /** /party: one shared game in a channel; everyone there casts into it, a facilitator steers it */
  const party = async (i: APIInteraction, options: APIApplicationCommandInteractionDataOption[] | undefined, respond: (r: HttpReply) => Promise<void>): Promise<void> => {
    const sub = options?.[0];
    if (!sub || sub.type !== ApplicationCommandOptionType.Subcommand || typeof sub.name !== 'string') return respond(note('Which? /party start, cast, status, hint, pause, resume or end.'));
    const channel = channelOf(i);
    const user = userOf(i);
    if (!i.guild_id || !channel || !user) return respond(note('A party plays in a server channel: /party start there.'));
    const key: SessionKey = { application: i.application_id, scope: i.guild_id, user: `p${channel}` };
    const who = nameOf(i);
    const subOptions = Array.isArray(sub.options) ? sub.options.filter((o) => typeof o === 'object' && o !== null) : undefined;
    const state = await sessions.backend.readPartyState(keyId(key));
    if (sub.name === 'start') {
      const chapter = stringOption(subOptions, 'chapter');
      const id = typeof chapter === 'number' && Number.isInteger(chapter) ? String(chapter) : '';
      if (!/^\d{1,3}$/.test(id) || !findChapter(id)) return respond(note('There is no such chapter. /party start chapter:1 opens the first.'));
      return runStep(i, key, async (s) => {
        const current = await s.partyState();
        if (current && !facilitates(i, current.starter)) {
          const { session: running } = await s.current();
          if (running && running.chapter !== id) return [{ content: `A party is playing chapter ${running.chapter} in this channel; only a facilitator can open another chapter here.` }];
        }
        const { session, blocks, resumed } = await s.play(id);
        if (!current || !resumed) await s.setPartyState({ starter: current && resumed ? current.starter : user, paused: false });
        const lead: OutputBlock = resumed
          ? { kind: 'system', text: `The party's game of chapter ${id} goes on (${session.result().virtualTime} in).` }
          : { kind: 'system', text: `A party opens chapter ${id} in this channel. Everyone here can cast with /party cast or the Cast button; each line is signed.` };
        return show(key, [lead, ...blocks], undefined, `**${who}** starts the party:`);
      }, respond, PUBLIC);
    }
    if (!state) return respond(note('There is no party in this channel: /party start chapter:1 starts one.'));
    switch (sub.name) {
      case 'cast':
        if (state.paused) return respond(note('The party is paused; a facilitator can /party resume it.'));
        return castLine(i, key, stringOption(subOptions, 'spell'), respond);
      case 'status':
        return runStep(i, key, lineStep(key, 'status', false), respond, PUBLIC);
    }
    if (!facilitates(i, state.starter)) return respond(note('Only a facilitator of this party can do that (whoever started it, or the facilitator role).'));
    switch (sub.name) {
      case 'hint':
        return runStep(i, key, lineStep(key, 'hint', false, `**${who}** reveals a hint:`), respond, PUBLIC);
      case 'pause':
      case 'resume': {
        const paused = sub.name === 'pause';
        return runStep(i, key, async (s) => {
          const now = await s.partyState();
          if (!now) return [{ content: 'The party in this channel has ended.' }];
          await s.setPartyState({ ...now, paused });
          return show(key, [{ kind: 'system', text: paused ? `${who} pauses the party: no spells until /party resume.` : `${who} resumes the party: cast away.` }], undefined);
        }, respond, PUBLIC);
      }
      case 'end':
        return runStep(i, key, async (s) => {
          const { session } = await s.current();
          if (!session) {
            await s.remove();
            return [{ content: 'The party in this channel has ended.' }];
          }
          const status = await session.handle('status');
          const r = session.result();
          const summary: OutputBlock = {
            kind: 'system',
            text: `${who} ends the party. Chapter ${r.chapter} ${r.solved ? 'solved' : 'not solved'}: ${countOf(r.spells, 'spell')}, ${countOf(r.hints, 'hint')}, ${r.virtualTime} of the machine's time.`,
          };
          const debrief = debriefMessage(session.inspect(), transcriptFile(session, `party-transcript-ch${r.chapter}.md`).file);
          await s.remove();
          return [...renderMessages([summary, ...status.blocks]), debrief];
        }, respond, PUBLIC);
      default:
        return respond(note('Which? /party start, cast, status, hint, pause, resume or end.'));
    }
  };

  const command = async (i: APIInteraction & { type: InteractionType.ApplicationCommand }, key: SessionKey, respond: (r: HttpReply) => Promise<void>): Promise<void> => {
    const data = i.data as unknown;
    const name = field(data, 'name');
    if (typeof name !== 'string') return respond(note('The grimoire does not know that command.'));
    const rawOptions = field(data, 'options');
    const options = Array.isArray(rawOptions) ? (rawOptions.filter((o) => typeof o === 'object' && o !== null) as APIApplicationCommandInteractionDataOption[]) : undefined;
    switch (name) {
      case 'play': {
        const chapter = stringOption(options, 'chapter');
        const id = typeof chapter === 'number' && Number.isInteger(chapter) ? String(chapter) : typeof chapter === 'string' ? chapter : '';
        if (!/^\d{1,3}$/.test(id) || !findChapter(id)) return respond(note('There is no such chapter. /play chapter:1 opens the first.'));
        return runStep(i, key, async (s) => {
          const { session, blocks, resumed } = await s.play(id);
          const lead: OutputBlock[] = resumed ? [{ kind: 'system', text: `Your game of chapter ${id} goes on (${session.result().virtualTime} in).` }] : [];
          return show(key, [...lead, ...blocks]);
        }, respond);
      }
      case 'cast':
        return castLine(i, key, stringOption(options, 'spell'), respond);
      case 'party':
        return party(i, options, respond);
      case 'export':
        return runStep(i, key, exportStep(key), respond);
      case 'transcript':
        return runStep(i, key, transcriptStep, respond);
      case 'import':
        return importFile(i, key, options, respond);
      case 'talk': {
        const who = stringOption(options, 'who');
        if (who !== undefined && (typeof who !== 'string' || !/^[A-Za-z][A-Za-z-]{0,31}$/.test(who.trim()))) return respond(note('Talk to whom? A colleague\'s first name, e.g. /talk who:odile'));
        return runStep(i, key, lineStep(key, who ? `talk ${(who as string).trim().toLowerCase()}` : 'talk', false), respond);
      }
      default: {
        const line = Object.hasOwn(COMMAND_LINES, name) ? COMMAND_LINES[name] : undefined;
        if (!line) return respond(note('The grimoire does not know that command.'));
        return runStep(i, key, lineStep(key, line, false), respond);
      }
    }
  };

  return async (i, respond) => {
    if (i.type === InteractionType.ApplicationCommandAutocomplete) {
      return respond({ json: { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: [] } } });
    }
    const key = keyOf(i);
    if (!key || i.application_id !== opts.applicationId) return respond(note('This interaction is not for this bot.'));

    switch (i.type) {
      case InteractionType.ApplicationCommand:
        return command(i, key, respond);
      case InteractionType.MessageComponent:
      case InteractionType.ModalSubmit: {
        const id = decodeCustomId(field(i.data, 'custom_id'));
        if (!id) return respond(note('That button is not one the grimoire made.'));
        // a party's buttons are for everyone in its channel; anyone else's game is not touched, not even read
        const partyButton = id.user.startsWith('p');
        if (id.scope !== key.scope || (partyButton ? channelOf(i) !== id.user.slice(1) : id.user !== key.user)) {
          return respond(note(partyButton ? 'That party plays in another channel.' : 'That is another player\'s game. /play chapter:1 opens your own.'));
        }
        const target: SessionKey = partyButton ? { ...key, user: id.user } : key;
        if (i.type === InteractionType.ModalSubmit) {
          if (id.action !== 'spell') return respond(note('That form is not one the grimoire made.'));
          let value: unknown;
          // the text input comes back inside its Label (or an action row, from older clients)
          const tops = field(i.data, 'components');
          for (const top of Array.isArray(tops) ? tops : []) {
            const inner = field(top, 'component') !== undefined ? [field(top, 'component')] : Array.isArray(field(top, 'components')) ? (field(top, 'components') as unknown[]) : [top];
            for (const c of inner) if (field(c, 'custom_id') === 'spell') value = field(c, 'value');
          }
          return castLine(i, target, value, respond);
        }
        if (id.action === 'cast') {
          return respond({
            json: {
              type: InteractionResponseType.Modal,
              data: {
                custom_id: encodeCustomId({ action: 'spell', ...owner(target) }),
                title: 'Cast a spell',
                // a Label around the text input, as Discord's component reference now asks of modals
                components: [
                  {
                    type: ComponentType.Label,
                    label: 'Spell',
                    description: 'a command line for the machine, as at its prompt',
                    component: { type: ComponentType.TextInput, custom_id: 'spell', style: TextInputStyle.Short, placeholder: 'free -m', required: true, max_length: MAX_SPELL_CHARS },
                  },
                ],
              },
            },
          });
        }
        if (id.action === 'choose' && id.arg) {
          if (partyButton) return runStep(i, target, lineStep(target, id.arg, true, `**${nameOf(i)}** answers:`), respond, PUBLIC);
          return runStep(i, key, lineStep(key, id.arg), respond);
        }
        return respond(note('That button is not one the grimoire made.'));
      }
      default:
        return respond(note('The grimoire does not know this kind of interaction.'));
    }
  };
}
