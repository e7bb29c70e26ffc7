import type { Errno } from './types';
import type { ParseFailure } from './parse';
import { LIMITS } from './limits';
import { errnoMessage } from '../vfs/errno';

/**
 * The words a shell uses for its own complaints. The player's shell is bash; `sh -c` on Ubuntu
 * is dash, which phrases everything differently; a script run by path speaks as its path.
 */
export interface Dialect {
  kind: 'bash' | 'dash';
  /** what starts each message: 'bash', 'sh: 1', './fix.sh: line 1' */
  prefix: string;
  /** the interactive shell adds the game's spelling hints */
  interactive: boolean;
}

export const BASH: Dialect = { kind: 'bash', prefix: 'bash', interactive: true };
export const BASH_C: Dialect = { kind: 'bash', prefix: 'bash', interactive: false };
export const DASH: Dialect = { kind: 'dash', prefix: 'sh: 1', interactive: false };

export function scriptDialect(path: string, dash: boolean): Dialect {
  return dash ? { kind: 'dash', prefix: `${path}: 1`, interactive: false } : { kind: 'bash', prefix: `${path}: line 1`, interactive: false };
}

export function syntaxMessage(d: Dialect, f: ParseFailure): { text: string; code: number } {
  const p = d.prefix;
  if (d.kind === 'dash') {
    switch (f.kind) {
      case 'token':
        return { text: `${p}: Syntax error: "${f.token === 'newline' ? 'newline' : f.token}" unexpected\n`, code: 2 };
      case 'eof':
        return { text: `${p}: Syntax error: end of file unexpected\n`, code: 2 };
      case 'match':
        return f.char === ')' || f.char === '}'
          ? { text: `${p}: Syntax error: end of file unexpected (expecting "${f.char}")\n`, code: 2 }
          : { text: `${p}: Syntax error: Unterminated quoted string\n`, code: 2 };
      case 'bad-substitution':
        return { text: `${p}: Bad substitution\n`, code: 2 };
      default:
        break;
    }
  }
  switch (f.kind) {
    case 'token':
      return { text: `${p}: syntax error near unexpected token \`${f.token}'\n`, code: 2 };
    case 'eof':
      return { text: `${p}: syntax error: unexpected end of file\n`, code: 2 };
    case 'match':
      return { text: `${p}: unexpected EOF while looking for matching \`${f.char}'\n${p}: syntax error: unexpected end of file\n`, code: 2 };
    case 'bad-substitution':
      return { text: `${p}: ${f.text}: bad substitution\n`, code: 1 };
    case 'unsupported':
      return { text: `${p}: ${unsupportedWhat(f.what)}\n`, code: 2 };
    case 'limit':
      return {
        text:
          f.what === 'line'
            ? `${p}: line too long: this shell reads at most ${LIMITS.lineLength} characters at a time\n`
            : `${p}: too deeply nested: this shell stops at ${LIMITS.nesting} levels\n`,
        code: 2,
      };
  }
}

function unsupportedWhat(what: string): string {
  switch (what) {
    case '<<':
      return 'here-documents (<<) are not available in this shell; pipe with echo, or use <<< for one line';
    case '<>':
      return 'the <> redirection is not available in this shell';
    case 'for ((':
      return 'C-style for loops are not available in this shell; use: for i in $(seq 1 10); do ...; done';
    default:
      return `${what}: not available in this shell (it knows for, while, until, if, { }, ( ), pipes and redirections)`;
  }
}

export function notFoundMessage(d: Dialect, name: string): string {
  return d.kind === 'dash' ? `${d.prefix}: ${name}: not found\n` : `${d.prefix}: ${name}: command not found\n`;
}

/** A redirection the shell could not open. */
export function redirectMessage(d: Dialect, target: string, errno: Errno, output: boolean): { text: string; code: number } {
  if (d.kind === 'dash') {
    const msg = errno === 'ENOENT' && !output ? 'No such file' : errnoMessage(errno);
    return { text: `${d.prefix}: cannot ${output ? 'create' : 'open'} ${target}: ${msg}\n`, code: 2 };
  }
  return { text: `${d.prefix}: ${target}: ${errnoMessage(errno)}\n`, code: 1 };
}

export function ambiguousMessage(d: Dialect, text: string): string {
  return d.kind === 'dash' ? `${d.prefix}: cannot create ${text}: Directory nonexistent\n` : `${d.prefix}: ${text}: ambiguous redirect\n`;
}
