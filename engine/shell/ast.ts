/** The syntax tree of one command line, as parse.ts builds it and exec.ts walks it. Plain JSON. */

/** `a; b && c | d`: and-or lists run one after another */
export interface Script {
  items: AndOr[];
}

export interface AndOr {
  first: Pipeline;
  rest: { op: '&&' | '||'; pipeline: Pipeline }[];
}

export interface Pipeline {
  /** `time` (bash's format) or `time -p` (POSIX's) before it: its times go to the shell's stderr */
  timed?: 'bash' | 'posix';
  negate: boolean;
  commands: Command[];
  /** pipeStderr[i]: stage i was joined to the next with `|&`, which pipes stderr too */
  pipeStderr: boolean[];
}

export type Command = SimpleCommand | ForCommand | WhileCommand | IfCommand | GroupCommand;

export interface SimpleCommand {
  kind: 'simple';
  assigns: Assignment[];
  words: Word[];
  redirs: Redirect[];
}

export interface Assignment {
  name: string;
  value: Word;
}

interface ForCommand {
  kind: 'for';
  name: string;
  words: Word[];
  body: Script;
  redirs: Redirect[];
}

interface WhileCommand {
  kind: 'while';
  until: boolean;
  cond: Script;
  body: Script;
  redirs: Redirect[];
}

interface IfCommand {
  kind: 'if';
  clauses: { cond: Script; body: Script }[];
  elseBody: Script | null;
  redirs: Redirect[];
}

/** `( list )` runs in a copy of the shell state; `{ list; }` in the shell itself */
interface GroupCommand {
  kind: 'subshell' | 'group';
  body: Script;
  redirs: Redirect[];
}

export type RedirectOp = '>' | '>>' | '<' | '>&' | '<&' | '&>' | '&>>' | '<<<';

export interface Redirect {
  fd: number;
  op: RedirectOp;
  target: Word;
}

export type Word = WordPart[];

export type WordPart =
  /** quoted text is exempt from field splitting, globbing and brace expansion */
  | { t: 'lit'; v: string; q: boolean }
  | { t: 'param'; name: string; q: boolean; op?: ParamOp; arg?: Word }
  | { t: 'cmd'; script: Script; q: boolean }
  | { t: 'arith'; expr: Word; q: boolean }
  /** a leading unquoted ~ or ~user */
  | { t: 'tilde'; user: string };

export type ParamOp = ':-' | '-' | ':=' | '=' | ':+' | '+' | '#';
