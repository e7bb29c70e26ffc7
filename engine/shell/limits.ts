/**
 * Bounds that keep one typed line from freezing the game: a real box would just be slow, but a
 * turn of the game must end. Each is generous for anything a player would type by hand.
 */
export const LIMITS = {
  /** characters in one line */
  lineLength: 10_000,
  /** nested compound commands, and separately nested $(...) */
  nesting: 32,
  /** iterations of one for/while loop, and the N of repeat */
  loopIterations: 10_000,
  /** simple commands run for one line, loops and substitutions included */
  commands: 50_000,
  /**
   * characters all commands of one line may print, pipe or write to files in total: a million
   * lines go through seq | sort | uniq -c | wc -l (about 30 million), a runaway loop does not
   */
  output: 64_000_000,
  /** of those, characters that may reach the player's terminal */
  terminal: 8_000_000,
  /** characters in one expanded word or variable */
  wordLength: 1_000_000,
  /** units of bulk work (characters read or matched, files looked at, backtracking steps) one line may do: seconds */
  work: 300_000_000,
  /** virtual ms one line may let pass, its sleeps and spells together: thirty days (a fix is checked over a week) */
  lineTime: 30 * 86_400_000,
  /** numbers seq will print */
  seqCount: 1_000_000,
} as const;
