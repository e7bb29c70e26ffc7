import type { CommandSpec, ShellEnv } from './types';
import type { ShellState } from './state';
import { shellBuiltins } from './commands/builtins';
import { homeDirectory } from './state';
import { joinPath, normalizePath } from '../vfs/path';

interface CompletionResult {
  /** replace line.slice(from) with one of the candidates */
  from: number;
  candidates: string[];
}

interface Scan {
  /** start of the word under the cursor (the end of the line) */
  from: number;
  /** its text with quotes and backslashes removed */
  word: string;
  /** the words before it in the same simple command */
  before: string[];
  /** the token just before the word was a redirection operator */
  afterRedirect: boolean;
}

const SEPARATORS = new Set(['|', '||', '&&', ';', '&', '(', '$(', '`', '|&']);
const COMMAND_KEYWORDS = new Set(['do', 'then', 'else', 'elif', '{', '!', 'time', 'while', 'until', 'if']);

/** Splits the line the way the shell would, as far as completion needs. */
function scan(line: string): Scan {
  let before: string[] = [];
  let afterRedirect = false;
  let word = '';
  let from = 0;
  let inWord = false;
  let quote: string | null = null;
  const endWord = () => {
    if (inWord) {
      before.push(word);
      afterRedirect = false;
    }
    inWord = false;
    word = '';
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) word += line[++i];
      else word += c;
      continue;
    }
    if (c === "'" || c === '"') {
      if (!inWord) {
        inWord = true;
        from = i;
      }
      quote = c;
      continue;
    }
    if (c === '\\' && i + 1 < line.length) {
      if (!inWord) {
        inWord = true;
        from = i;
      }
      word += line[++i];
      continue;
    }
    if (c === ' ' || c === '\t') {
      endWord();
      continue;
    }
    const two = line.slice(i, i + 2);
    const op = ['||', '&&', '|&', '$(', '>>', '&>'].includes(two) ? two : '|;&()<>`'.includes(c) ? c : null;
    if (op) {
      endWord();
      if (op === '>' || op === '<' || op === '>>' || op === '&>') {
        // a digit right before > is a file descriptor, not a word
        if (before.length && /^\d+$/.test(before[before.length - 1]) && /\d/.test(line[i - 1] ?? '')) before.pop();
        afterRedirect = true;
      } else if (SEPARATORS.has(op)) {
        before = [];
        afterRedirect = false;
      }
      i += op.length - 1;
      continue;
    }
    if (!inWord) {
      inWord = true;
      from = i;
    }
    word += c;
  }
  if (!inWord) from = line.length;
  return { from, word, before, afterRedirect };
}

/** The command the words belong to, looking through sudo, env and VAR=value prefixes. */
function commandOf(before: string[]): { name: string | null; args: string[] } {
  let i = 0;
  while (i < before.length) {
    const w = before[i];
    if (COMMAND_KEYWORDS.has(w) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) {
      i++;
      continue;
    }
    if (w === 'sudo') {
      i++;
      while (i < before.length && before[i].startsWith('-')) i += before[i] === '-u' ? 2 : 1;
      continue;
    }
    if (w === 'repeat' && i + 1 < before.length && /^\d+$/.test(before[i + 1])) {
      i += 2;
      continue;
    }
    return { name: w, args: before.slice(i + 1) };
  }
  return { name: null, args: [] };
}

/**
 * Tab completion: command names where a command goes, paths from the VFS for arguments
 * (directories end in /), PIDs for kill and -p, flags and sub-commands from CommandSpec.completions.
 */
export function complete(line: string, env: ShellEnv, state: ShellState): CompletionResult {
  try {
    return completeUnsafe(line, env, state);
  } catch {
    return { from: line.length, candidates: [] };
  }
}

function completeUnsafe(line: string, env: ShellEnv, state: ShellState): CompletionResult {
  const s = scan(line);
  const done = (cands: string[]) => ({ from: s.from, candidates: [...new Set(cands)].sort() });
  const prefix = s.word;
  const { name, args } = commandOf(s.before);

  if (prefix.startsWith('$') && !prefix.includes('/')) {
    const vars = new Set([...Object.keys(env.vars), ...Object.keys(state.vars), 'HOME', 'USER', 'PWD', 'PATH', 'HOSTNAME', 'SHELL']);
    return done([...vars].map((v) => '$' + v).filter((v) => v.startsWith(prefix)));
  }
  if (s.afterRedirect) return done(paths(prefix, env, state));
  if (name === null) {
    if (prefix.includes('/')) return done(paths(prefix, env, state));
    return done(commandNames(env).filter((n) => n.startsWith(prefix)));
  }
  const spec: CommandSpec | undefined = env.commands.get(name);
  const last = args[args.length - 1];
  if (last === '-p' || (spec?.argKind === 'pid' && !prefix.startsWith('-'))) {
    return done(env.pids().map(String).filter((p) => p.startsWith(prefix)));
  }
  const words = spec?.completions ?? [];
  if (prefix.startsWith('-')) return done(words.filter((w) => w.startsWith(prefix)));
  if (spec?.argKind === 'command') return done(commandNames(env).filter((n) => n.startsWith(prefix)));
  const subcommands = args.filter((a) => !a.startsWith('-')).length === 0 ? words.filter((w) => !w.startsWith('-') && w.startsWith(prefix)) : [];
  if (spec?.argKind === 'none') return done(subcommands);
  return done([...subcommands, ...paths(prefix, env, state)]);
}

function commandNames(env: ShellEnv): string[] {
  return [...env.commands.names(), ...shellBuiltins().map((b) => b.name)].filter((n) => n !== ':');
}

function paths(word: string, env: ShellEnv, state: ShellState): string[] {
  const slash = word.lastIndexOf('/');
  const dirPart = slash >= 0 ? word.slice(0, slash + 1) : '';
  const namePart = word.slice(slash + 1);
  let dirReal = dirPart;
  if (dirPart.startsWith('~/') || dirPart === '~/') dirReal = homeDirectory(env, env.loginUser) + dirPart.slice(1);
  const absDir = normalizePath(dirReal === '' ? '.' : dirReal, state.cwd);
  const listed = env.fs.list(absDir, env.loginUser);
  if (!listed.ok) return [];
  const out: string[] = [];
  for (const n of listed.value) {
    if (!n.startsWith(namePart)) continue;
    if (n.startsWith('.') && !namePart.startsWith('.')) continue;
    const st = env.fs.stat(joinPath(absDir, n));
    const shown = dirPart + n.replace(/([ \t'"\\$`!&|;()<>*?[\]])/g, '\\$1');
    out.push(st.ok && st.value.type === 'dir' ? shown + '/' : shown);
  }
  return out;
}
