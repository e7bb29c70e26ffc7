import type { CommandSpec } from './shell/types';

/**
 * Commands that talk to the game rather than the machine. The engine answers them before the
 * shell sees the line; they are registered as specs too so that help, man and tab completion
 * know them.
 */
export const GAME_COMMANDS = new Set(['hint', 'talk', 'status', 'journal', 'grimoire', 'spellbook', 'history']);

function notInPipeline(name: string): CommandSpec['run'] {
  return () => ({
    stdout: '',
    stderr: `${name}: this is a word to the grimoire, not a program on the machine; type it on its own line\n`,
    code: 1,
  });
}

export function gameCommandSpecs(hintLevels: number): CommandSpec[] {
  const spec = (name: string, summary: string, man: string): CommandSpec => ({
    name,
    summary,
    man,
    category: 'game',
    run: notInPipeline(name),
    argKind: 'none',
  });
  return [
    spec(
      'hint',
      'ask the grimoire for a nudge (each one is a little less subtle)',
      `NAME
    hint - ask the grimoire for help

SYNOPSIS
    hint

DESCRIPTION
    Each time you ask, the grimoire says a little more. There are ${hintLevels} hints in this
    chapter; the first only points in a direction, the last tells you exactly what to do.
    The game counts how many you used and mentions it at the end. Asking costs no time.
`,
    ),
    spec(
      'talk',
      'talk to the colleagues who are around',
      `NAME
    talk - talk to a colleague

SYNOPSIS
    talk [NAME]

DESCRIPTION
    Lists who is around and lets you pick someone, or talks to NAME directly. Answer by typing
    the number of a reply. Casting any spell leaves the conversation. A chat takes about a
    minute of the machine's time.
`,
    ),
    spec(
      'status',
      "show the chapter's objectives and which of them hold right now",
      `NAME
    status - where you stand

SYNOPSIS
    status

DESCRIPTION
    Lists the chapter's objectives, judged from the simulated machine at this moment: [x] done,
    [~] holding so far, [!] failing, [ ] not yet. A chapter is solved when every objective is
    done, which for the ones about a fix means they held for a whole week of the machine's time.
    Use sleep (for example: sleep 1d) to let time pass.
`,
    ),
    spec(
      'journal',
      'what you have found out so far',
      `NAME
    journal - your notes

SYNOPSIS
    journal

DESCRIPTION
    Every time a spell shows you something that matters, the grimoire writes it down here,
    with the time since you arrived.
`,
    ),
    spec(
      'grimoire',
      'your spellbook: the spells you have cast so far',
      `NAME
    grimoire - your spellbook

SYNOPSIS
    grimoire

DESCRIPTION
    Lists every spell you have cast in this chapter, with a one-line reminder of what it does.
    man SPELL tells the whole story of one of them. (spellbook is another name for it.)
`,
    ),
    spec('spellbook', 'another name for grimoire', 'NAME\n    spellbook - see grimoire\n'),
    spec(
      'history',
      'the lines you have typed',
      `NAME
    history - what you typed

SYNOPSIS
    history

DESCRIPTION
    Lists the lines typed in this game, numbered, oldest first. The up arrow walks back
    through them at the prompt.
`,
    ),
  ];
}
