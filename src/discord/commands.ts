import { ApplicationCommandOptionType, ApplicationCommandType, InteractionContextType, type RESTPutAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { listChapters } from '../../engine/index';

/** The longest spell the bot takes (the /cast option and the Cast modal say so too). */
export const MAX_SPELL_CHARS = 1000;

/** The slash commands, as registered with Discord (npm run discord:register). */
export function commandDefinitions(): RESTPutAPIApplicationCommandsJSONBody {
  const chapters = listChapters();
  return [
    {
      name: 'play',
      type: ApplicationCommandType.ChatInput,
      description: 'Open the grimoire at a chapter: a new game, or the one you have in progress',
      options: [
        {
          name: 'chapter',
          description: 'which chapter',
          type: ApplicationCommandOptionType.Integer,
          required: true,
          choices: chapters.map((c) => ({ name: `${c.number}: ${c.title}`.slice(0, 100), value: c.number })),
        },
      ],
    },
    {
      name: 'cast',
      type: ApplicationCommandType.ChatInput,
      description: 'Cast a spell (a command) on the machine',
      options: [{ name: 'spell', description: 'the command line, e.g. free -m', type: ApplicationCommandOptionType.String, required: true, max_length: MAX_SPELL_CHARS }],
    },
    { name: 'hint', type: ApplicationCommandType.ChatInput, description: 'A nudge; each hint says more, the last one is the answer' },
    { name: 'status', type: ApplicationCommandType.ChatInput, description: "The chapter's objectives and which hold right now" },
    { name: 'journal', type: ApplicationCommandType.ChatInput, description: 'What you have found out so far' },
    {
      name: 'talk',
      type: ApplicationCommandType.ChatInput,
      description: 'Talk to a colleague',
      options: [{ name: 'who', description: 'whom (leave it out to see who is around)', type: ApplicationCommandOptionType.String, required: false, max_length: 32 }],
    },
    { name: 'saves', type: ApplicationCommandType.ChatInput, description: 'Your save slots' },
    { name: 'quit', type: ApplicationCommandType.ChatInput, description: 'Close the book (your game is saved; /play resumes it)' },
    { name: 'export', type: ApplicationCommandType.ChatInput, description: 'Your game as a file, to hand a stuck game to a colleague' },
    { name: 'transcript', type: ApplicationCommandType.ChatInput, description: 'Everything you cast and saw in this sitting, as a Markdown file' },
    {
      name: 'import',
      type: ApplicationCommandType.ChatInput,
      description: 'Continue the game in an export file (your current game is kept in a slot of its own)',
      options: [{ name: 'file', description: 'the export file', type: ApplicationCommandOptionType.Attachment, required: true }],
    },
    {
      name: 'party',
      type: ApplicationCommandType.ChatInput,
      description: 'Team play: one shared machine in this channel',
      // servers only: a party is a channel's
      contexts: [InteractionContextType.Guild],
      options: [
        {
          name: 'start',
          type: ApplicationCommandOptionType.Subcommand,
          description: 'Open a chapter for everyone in this channel (or carry on the party here)',
          options: [{ name: 'chapter', description: 'which chapter', type: ApplicationCommandOptionType.Integer, required: true, choices: chapters.map((c) => ({ name: `${c.number}: ${c.title}`.slice(0, 100), value: c.number })) }],
        },
        {
          name: 'cast',
          type: ApplicationCommandOptionType.Subcommand,
          description: "Cast a spell on the party's machine, signed with your name",
          options: [{ name: 'spell', description: 'the command line, e.g. free -m', type: ApplicationCommandOptionType.String, required: true, max_length: MAX_SPELL_CHARS }],
        },
        { name: 'status', type: ApplicationCommandOptionType.Subcommand, description: "The party's objectives" },
        { name: 'hint', type: ApplicationCommandOptionType.Subcommand, description: 'Reveal a hint to the channel (facilitators)' },
        { name: 'pause', type: ApplicationCommandOptionType.Subcommand, description: 'Stop spells until resumed (facilitators)' },
        { name: 'resume', type: ApplicationCommandOptionType.Subcommand, description: 'Let spells be cast again (facilitators)' },
        { name: 'end', type: ApplicationCommandOptionType.Subcommand, description: 'End the party and post how it went, with a debrief and the transcript (facilitators)' },
      ],
    },
  ];
}

/** The game line a command without a spell stands for. */
export const COMMAND_LINES: Record<string, string> = { hint: 'hint', status: 'status', journal: 'journal', saves: 'saves', quit: 'quit' };

/**
 * Lines that would read or write files on the bot's own disk (`export FILE`, `import FILE`,
 * `transcript FILE`, `download PATH`): the terminal game resolves them on the player's machine,
 * which here is the bot's. Refused before the session sees them. `export` of a shell variable
 * (`export LANG=C`) is bash's and goes through.
 */
export function hostFileLine(line: string): string | null {
  const [head = '', ...args] = line.trim().split(/\s+/);
  if (head === 'import' || head === 'transcript' || head === 'download') return head;
  if (head === 'export' && args.some((a) => !/^[A-Za-z_][A-Za-z0-9_]*(?:=.*)?$/.test(a))) return head;
  return null;
}
