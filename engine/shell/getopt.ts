/**
 * The one command-line parser of this world, for the GNU text utilities (coreutils, grep) and the
 * procps / util-linux tools alike: getopt_long as glibc 2.19 (Ubuntu 14.04) does it.
 *
 * - short options cluster (-nr) and take an argument attached or as the next word (-n5, -n 5);
 * - long options take one after `=` or as the next word (--lines=5, --lines 5), and may be
 *   abbreviated to any unambiguous prefix (--li 5);
 * - `--` ends the options; a lone `-` is an operand;
 * - operands may come before, between and after options (glibc permutes them to the end), unless
 *   `permute: false` asks for the POSIXLY_CORRECT / leading-'+' behaviour of stopping at the
 *   first operand;
 * - parsing stops at the first bad option with glibc's own diagnostic, as the tools exit there.
 *
 * Tools handle what getopt returned the way their C loop does: each option in order (an option
 * such as --help may end the program right there), then the error if parsing stopped at one,
 * then the operands.
 */

type ArgKind = 'none' | 'required' | 'optional';

export interface OptDef {
  /**
   * What the caller sees. Definitions that share a key and an argument kind are one option under
   * several names (getopt_long's `val`), so a prefix matching several of them is not ambiguous.
   */
  key: string;
  /** the short letter, if any */
  short?: string;
  /** the long name without its dashes, if any */
  long?: string;
  /** 'none' by default; an 'optional' argument only ever comes attached: -Ivalue, --opt=value */
  arg?: ArgKind;
}

export interface ParsedOpt {
  key: string;
  /** the option's argument; undefined when it takes none or an optional one was not given */
  value?: string;
}

interface GetoptSettings {
  /** false: the first operand ends the options (POSIXLY_CORRECT, or an optstring starting with '+') */
  permute?: boolean;
  /**
   * An undeclared `--help` (or `--help=...`) stops parsing and sets `help`, so a tool that does
   * not list --help among its options still answers it.
   */
  builtinHelp?: boolean;
}

interface GetoptResult {
  /** the options in command-line order, up to where parsing stopped */
  opts: ParsedOpt[];
  /** the operands, in order */
  operands: string[];
  /** glibc's complaint when parsing stopped at a bad option, without the usage text the tool adds */
  error?: string;
  /** set when `builtinHelp` saw --help */
  help?: true;
}

/** Where an ambiguous abbreviation lists its candidates, glibc 2.19's order: the first match, then the others last to first. */
function ambiguity(prog: string, arg: string, first: OptDef, others: OptDef[]): string {
  const names = [first, ...[...others].reverse()].map((d) => ` '--${d.long}'`).join('');
  return `${prog}: option '${arg}' is ambiguous; possibilities:${names}`;
}

export function getopt(prog: string, argv: readonly string[], defs: readonly OptDef[], settings: GetoptSettings = {}): GetoptResult {
  const permute = settings.permute ?? true;
  const opts: ParsedOpt[] = [];
  const operands: string[] = [];
  const stop = (error: string): GetoptResult => ({ opts, operands, error });
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      for (const rest of argv.slice(i + 1)) operands.push(rest);
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      if (settings.builtinHelp && name === 'help' && !defs.some((d) => d.long === 'help')) return { opts, operands, help: true };
      let found = defs.find((d) => d.long === name);
      if (!found) {
        const matches = defs.filter((d) => d.long !== undefined && d.long.startsWith(name));
        if (matches.length === 0) return stop(`${prog}: unrecognized option '${a}'`);
        const [first, ...rest] = matches;
        const others = rest.filter((d) => d.key !== first.key || (d.arg ?? 'none') !== (first.arg ?? 'none'));
        if (others.length) return stop(ambiguity(prog, a, first, others));
        found = first;
      }
      const kind = found.arg ?? 'none';
      if (eq >= 0) {
        if (kind === 'none') return stop(`${prog}: option '--${found.long}' doesn't allow an argument`);
        opts.push({ key: found.key, value: a.slice(eq + 1) });
      } else if (kind === 'required') {
        if (i + 1 >= argv.length) return stop(`${prog}: option '--${found.long}' requires an argument`);
        opts.push({ key: found.key, value: argv[++i] });
      } else opts.push({ key: found.key });
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        const d = defs.find((x) => x.short === c);
        if (!d) return stop(`${prog}: invalid option -- '${c}'`);
        const kind = d.arg ?? 'none';
        if (kind === 'none') {
          opts.push({ key: d.key });
          continue;
        }
        if (j + 1 < a.length) opts.push({ key: d.key, value: a.slice(j + 1) });
        else if (kind === 'optional') opts.push({ key: d.key });
        else if (i + 1 < argv.length) opts.push({ key: d.key, value: argv[++i] });
        else return stop(`${prog}: option requires an argument -- '${c}'`);
        break;
      }
      continue;
    }
    operands.push(a);
    if (!permute) {
      for (const rest of argv.slice(i + 1)) operands.push(rest);
      break;
    }
  }
  return { opts, operands };
}

/** The value given last for an option ('' for one given without a value), or undefined if it was not given. */
export function last(opts: readonly ParsedOpt[], key: string): string | undefined {
  for (let i = opts.length - 1; i >= 0; i--) if (opts[i].key === key) return opts[i].value ?? '';
  return undefined;
}

export function has(opts: readonly ParsedOpt[], key: string): boolean {
  return opts.some((o) => o.key === key);
}
