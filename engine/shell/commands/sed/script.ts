import { RegexError, compileCapturing, parsePosix, type CapturingRegex } from '../../regex';
import { byteLength } from '../../../vfs/utf8';
import { normalizeText } from './text';

/**
 * A sed program, compiled as sed 4.2.2's compile.c reads it: a character at a time, so that an
 * error names the same expression and character (or script file and line) as GNU's does.
 */

/** sed stops: what it says (without "sed: ") and its exit status */
export class SedError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

export type Posixicity = 'extended' | 'correct' | 'basic';

export interface SedRegex {
  re: CapturingRegex;
  groups: number;
}

export type AddrType = 'null' | 'regex' | 'num' | 'numMod' | 'step' | 'stepMod' | 'last';

export interface Addr {
  type: AddrType;
  num: number;
  step: number;
  /** null: the empty regex, which means the last one used */
  regex: SedRegex | null;
}

/** replacement types: REPL_UPPERCASE 1, LOWERCASE 2, UPPERCASE_FIRST 4, LOWERCASE_FIRST 8 */
export const REPL = { asis: 0, upper: 1, lower: 2, upperFirst: 4, lowerFirst: 8, modifiers: 12 } as const;

export interface ReplPiece {
  prefix: string;
  /** the group it appends after the prefix (0 for &), -1 for none */
  substId: number;
  type: number;
}

export interface Subst {
  regex: SedRegex | null;
  replacement: ReplPiece[];
  global: boolean;
  /** 1: print before eval, 2: after */
  print: number;
  numb: number;
  evaluate: boolean;
  maxId: number;
  outf?: string;
}

export interface Cmd {
  a1?: Addr;
  a2?: Addr;
  range: 'inactive' | 'active' | 'closed';
  bang: boolean;
  cmd: string;
  /** a, i, c: the text with its final newline */
  text?: string;
  jump?: number;
  label?: string;
  intArg?: number;
  fname?: string;
  outf?: string;
  subst?: Subst;
  /** y: each source character to its replacement */
  translate?: Map<string, string>;
}

export interface Program {
  cmds: Cmd[];
  /** #n on the first line of the first script */
  quiet: boolean;
  /** files named by w, W and s///w, in the order they were opened */
  writeFiles: string[];
  /** files named by R */
  readFiles: string[];
}

export interface CompileOptions {
  extended: boolean;
  posix: Posixicity;
  /** opens (truncates) a w file when the script is compiled, as sed does; an error text stops sed */
  openWrite(name: string): string | null;
  work?: (units: number) => void;
}

const EOF = undefined;
type Ch = string | undefined;

const isBlank = (c: Ch) => c === ' ' || c === '\t';
const isSpace = (c: Ch) => c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
const isDigit = (c: Ch) => c !== undefined && c >= '0' && c <= '9';

interface Label {
  index: number;
  name: string;
  /** where a { was, for "unmatched `{'" */
  where?: { expr: number; line: number; file?: string };
}

/** The compiler's state across -e and -f pieces: one program, as sed builds it. */
export class Compiler {
  readonly program: Program = { cmds: [], quiet: false, writeFiles: [], readFiles: [] };
  private src = '';
  private cur = 0;
  /** counts -e expressions, for error messages (0 while reading a file) */
  private exprCount = 0;
  private fileName: string | undefined;
  private line = 0;
  /** the base of `cur` is the string given (-e), so its errors are by character */
  private fromString = true;
  private firstScript = true;
  private blocks: Label[] = [];
  private labels: Label[] = [];
  private jumps: Label[] = [];
  private pendingText: string | null = null;
  private oldTextCmd: Cmd | null = null;

  constructor(private readonly opts: CompileOptions) {}

  /** an -e expression, or the script given as the first operand */
  addString(script: string): void {
    this.src = script;
    this.cur = 0;
    this.fromString = true;
    this.fileName = undefined;
    this.line = 0;
    this.exprCount++;
    this.compileProgram();
    this.firstScript = false;
  }

  /** the text of a -f script file */
  addFile(name: string, text: string): void {
    this.src = text;
    this.cur = 0;
    this.fromString = false;
    this.fileName = name;
    this.line = 1;
    this.compileProgram();
    this.fileName = undefined;
    this.firstScript = false;
  }

  /** check_final_program: open blocks, a text still being read, jumps to labels */
  finish(): Program {
    if (this.blocks.length) {
      const b = this.blocks[this.blocks.length - 1]!;
      // the position is gone by now: GNU reports character 0 of the expression with the {
      if (b.where?.file !== undefined) throw new SedError(`file ${b.where.file} line ${b.where.line}: unmatched \`{'`, 1);
      throw new SedError(`-e expression #${b.where?.expr ?? 0}, char 0: unmatched \`{'`, 1);
    }
    if (this.pendingText !== null && this.oldTextCmd) {
      this.oldTextCmd.text = this.pendingText;
      this.pendingText = null;
    }
    for (const go of this.jumps) {
      const target = this.labels.find((l) => l.name === go.name);
      if (target) this.program.cmds[go.index]!.jump = target.index;
      else if (go.name !== '') throw new SedError(`can't find label for jump to \`${go.name}'`, 4);
      else this.program.cmds[go.index]!.jump = this.program.cmds.length;
    }
    return this.program;
  }

  // ---- reading the script ----

  private inchar(): Ch {
    if (this.cur >= this.src.length) return EOF;
    const ch = this.src[this.cur++]!;
    if (ch === '\n') this.line++;
    return ch;
  }

  private savchar(ch: Ch): void {
    if (ch === EOF) return;
    if (ch === '\n' && this.line > 0) this.line--;
    this.cur--;
  }

  private inNonblank(): Ch {
    let ch: Ch;
    do ch = this.inchar();
    while (isBlank(ch));
    return ch;
  }

  private inInteger(ch: Ch): number {
    let num = 0;
    while (isDigit(ch)) {
      num = num * 10 + Number(ch);
      ch = this.inchar();
    }
    this.savchar(ch);
    return num;
  }

  private bad(why: string): never {
    if (!this.fromString) throw new SedError(`file ${this.fileName} line ${this.line}: ${why}`, 1);
    // GNU counts bytes
    throw new SedError(`-e expression #${this.exprCount}, char ${byteLength(this.src.slice(0, this.cur))}: ${why}`, 1);
  }

  private readFilename(): string {
    let b = '';
    let ch = this.inNonblank();
    while (ch !== EOF && ch !== '\n') {
      b += ch;
      ch = this.inchar();
    }
    return b;
  }

  private readLabel(): string {
    let b = '';
    let ch = this.inNonblank();
    while (ch !== EOF && ch !== '\n' && !isBlank(ch) && ch !== ';' && ch !== '}' && ch !== '#') {
      b += ch;
      ch = this.inchar();
    }
    this.savchar(ch);
    return b;
  }

  /** a bracket expression inside a regex, copied to b; returns the character it stopped at */
  private snarfCharClass(b: { s: string }): Ch {
    let state = 0;
    let delim: Ch;
    let ch = this.inchar();
    const add = (c: string): Ch => {
      b.s += c;
      return this.inchar();
    };
    if (ch === '^') ch = add(ch);
    if (ch === ']') ch = add(ch);
    for (; ; ch = add(ch!)) {
      if (ch === EOF || ch === '\n') return ch;
      if (ch === '.' || ch === ':' || ch === '=') {
        if (state === 1) {
          delim = ch;
          state = 2;
          continue;
        } else if (state === 2 && ch === delim) {
          state = 3;
          continue;
        }
      } else if (ch === '[') {
        if (state === 0) state = 1;
        continue;
      } else if (ch === ']') {
        if (state === 0 || state === 1) return ch;
        else if (state === 3) state = 0;
      }
      state &= ~1;
    }
  }

  /** the text up to the next unescaped `slash`; null when the line or script ends first */
  private matchSlash(slash: Ch, regex: boolean): string | null {
    const b = { s: '' };
    let ch: Ch;
    while ((ch = this.inchar()) !== EOF && ch !== '\n') {
      if (ch === slash) return b.s;
      if (ch === '\\') {
        ch = this.inchar();
        if (ch === EOF) break;
        else if (ch === 'n' && regex) ch = '\n';
        else if (ch !== '\n' && (ch !== slash || (!regex && ch === '&'))) b.s += '\\';
      } else if (ch === '[' && regex) {
        b.s += ch;
        ch = this.snarfCharClass(b);
        if (ch !== ']') break;
      }
      b.s += ch;
    }
    if (ch === '\n') this.savchar(ch);
    return null;
  }

  private compileRegex(text: string, icase: boolean, multiline: boolean, neededSub: number): SedRegex | null {
    if (text === '') {
      if (icase || multiline) this.bad('cannot specify modifiers on empty regexp');
      return null;
    }
    if (multiline) this.bad('the M modifier (multi-line mode) is not simulated in this world');
    const pattern = normalizeText(text, 'regex', this.opts.posix !== 'extended');
    let parsed;
    try {
      parsed = parsePosix(pattern, { extended: this.opts.extended });
    } catch (e) {
      if (e instanceof RegexError) this.bad(e.message);
      throw e;
    }
    if (neededSub > 0 && parsed.groups < neededSub - 1 && this.opts.posix === 'extended') {
      this.bad(`invalid reference \\${neededSub - 1} on \`s' command's RHS`);
    }
    const re = compileCapturing(parsed.node, parsed.groups, { ignoreCase: icase, dotAll: true, work: this.opts.work });
    return { re, groups: parsed.groups };
  }

  private compileAddress(ch: Ch): Addr | null {
    const addr: Addr = { type: 'null', num: Infinity, step: 0, regex: null };
    if (ch === '/' || ch === '\\') {
      addr.type = 'regex';
      if (ch === '\\') ch = this.inchar();
      const b = this.matchSlash(ch, true);
      if (b === null) this.bad('unterminated address regex');
      let icase = false;
      let multi = false;
      for (;;) {
        ch = this.inNonblank();
        if (this.opts.posix !== 'basic' && ch === 'I') icase = true;
        else if (this.opts.posix !== 'basic' && ch === 'M') multi = true;
        else {
          this.savchar(ch);
          addr.regex = this.compileRegex(b, icase, multi, 0);
          return addr;
        }
      }
    }
    if (isDigit(ch)) {
      addr.num = this.inInteger(ch);
      addr.type = 'num';
      ch = this.inNonblank();
      if (ch !== '~' || this.opts.posix === 'basic') this.savchar(ch);
      else {
        const step = this.inInteger(this.inNonblank());
        if (step > 0) {
          addr.step = step;
          addr.type = 'numMod';
        }
      }
      return addr;
    }
    if ((ch === '+' || ch === '~') && this.opts.posix !== 'basic') {
      addr.step = this.inInteger(this.inNonblank());
      if (addr.step !== 0) addr.type = ch === '+' ? 'step' : 'stepMod';
      return addr;
    }
    if (ch === '$') {
      addr.type = 'last';
      return addr;
    }
    return null;
  }

  private readText(cmd: Cmd | null, leadin: Ch): void {
    if (cmd) {
      this.pendingText = '';
      cmd.text = '';
      this.oldTextCmd = cmd;
    }
    if (leadin === EOF) return;
    if (leadin !== '\n') this.pendingText += leadin;
    let ch = this.inchar();
    while (ch !== EOF && ch !== '\n') {
      if (ch === '\\') {
        ch = this.inchar();
        if (ch !== EOF) this.pendingText += '\\';
      }
      if (ch === EOF) {
        // continued by the next -e
        this.pendingText += '\n';
        return;
      }
      this.pendingText += ch;
      ch = this.inchar();
    }
    this.pendingText += '\n';
    this.oldTextCmd!.text = normalizeText(this.pendingText!, 'buffer');
    this.pendingText = null;
  }

  /** mark_subst_opts; returns the regex flags (I, M) */
  private substOpts(sub: Subst): { icase: boolean; multi: boolean } {
    const flags = { icase: false, multi: false };
    for (;;) {
      const ch = this.inNonblank();
      switch (ch) {
        case 'i':
        case 'I':
          if (this.opts.posix === 'basic') this.bad("unknown option to `s'");
          flags.icase = true;
          break;
        case 'm':
        case 'M':
          if (this.opts.posix === 'basic') this.bad("unknown option to `s'");
          flags.multi = true;
          break;
        case 'e':
          sub.evaluate = true;
          break;
        case 'p':
          if (sub.print) this.bad("multiple `p' options to `s' command");
          sub.print |= 1 << (sub.evaluate ? 1 : 0);
          break;
        case 'g':
          if (sub.global) this.bad("multiple `g' options to `s' command");
          sub.global = true;
          break;
        case 'w':
          sub.outf = this.openFile(this.readFilename());
          return flags;
        case '0': case '1': case '2': case '3': case '4':
        case '5': case '6': case '7': case '8': case '9':
          if (sub.numb) this.bad("multiple number options to `s' command");
          sub.numb = this.inInteger(ch);
          if (!sub.numb) this.bad("number option to `s' command may not be zero");
          break;
        case '}':
        case '#':
          this.savchar(ch);
          return flags;
        case EOF:
        case '\n':
        case ';':
          return flags;
        case '\r':
          if (this.inchar() === '\n') return flags;
          this.bad("unknown option to `s'");
        // falls through (bad never returns)
        default:
          this.bad("unknown option to `s'");
      }
    }
  }

  private openFile(name: string): string {
    const special = this.opts.posix === 'extended' && (name === '/dev/stdout' || name === '/dev/stderr');
    if (!special && !this.program.writeFiles.includes(name)) {
      const err = this.opts.openWrite(name);
      if (err !== null) throw new SedError(`couldn't open file ${name}: ${err}`, 4);
      this.program.writeFiles.push(name);
    }
    return name;
  }

  /** setup_replacement: the replacement text as literal pieces, groups and case changes */
  private replacement(text: string): { pieces: ReplPiece[]; maxId: number } {
    const base = normalizeText(text, 'replacement');
    const pieces: ReplPiece[] = [];
    let maxId = 0;
    let type: number = REPL.asis;
    let saveType: number = REPL.asis;
    let start = 0;
    for (let p = 0; p < base.length; p++) {
      const c = base[p]!;
      if (c === '\\') {
        const piece: ReplPiece = { prefix: base.slice(start, p), substId: -1, type };
        pieces.push(piece);
        type = saveType;
        p++;
        if (p === base.length) {
          piece.prefix += '\\';
        } else if (this.opts.posix === 'basic' && !isDigit(base[p])) {
          piece.prefix += base[p];
        } else {
          const e = base[p]!;
          if (isDigit(e)) {
            piece.substId = Number(e);
            if (maxId < piece.substId) maxId = piece.substId;
          } else if (e === 'L') type = saveType = REPL.lower;
          else if (e === 'U') type = saveType = REPL.upper;
          else if (e === 'E') type = saveType = REPL.asis;
          else if (e === 'l') {
            saveType = type;
            type |= REPL.lowerFirst;
          } else if (e === 'u') {
            saveType = type;
            type |= REPL.upperFirst;
          } else piece.prefix += e;
        }
        start = p + 1;
      } else if (c === '&') {
        pieces.push({ prefix: base.slice(start, p), substId: 0, type });
        type = saveType;
        start = p + 1;
      }
    }
    if (start < base.length) pieces.push({ prefix: base.slice(start), substId: -1, type });
    return { pieces, maxId };
  }

  private endOfCommand(): void {
    const ch = this.inNonblank();
    if (ch === '}' || ch === '#') this.savchar(ch);
    else if (ch !== EOF && ch !== '\n' && ch !== ';') this.bad('extra characters after command');
  }

  private compileProgram(): void {
    const cmds = this.program.cmds;
    if (this.pendingText !== null) this.readText(null, '\n');
    for (;;) {
      let ch: Ch;
      while ((ch = this.inchar()) === ';' || isSpace(ch));
      if (ch === EOF) break;
      const cur: Cmd = { range: 'inactive', bang: false, cmd: '' };
      const a1 = this.compileAddress(ch);
      if (a1) {
        if (a1.type === 'step' || a1.type === 'stepMod') this.bad('invalid usage of +N or ~N as first address');
        cur.a1 = a1;
        ch = this.inNonblank();
        if (ch === ',') {
          const a2 = this.compileAddress(this.inNonblank());
          if (!a2) this.bad("unexpected `,'");
          cur.a2 = a2;
          ch = this.inNonblank();
        }
        if (a1.type === 'num' && a1.num === 0 && (!cur.a2 || cur.a2.type !== 'regex' || this.opts.posix === 'basic')) {
          this.bad('invalid usage of line address 0');
        }
      }
      if (ch === '!') {
        cur.bang = true;
        ch = this.inNonblank();
        if (ch === '!') this.bad("multiple `!'s");
      }
      if (this.opts.posix === 'basic') {
        if (ch !== undefined && 'eFvzLQTRW'.includes(ch)) this.bad(`unknown command: \`${ch}'`);
        if (ch !== undefined && 'ail=r'.includes(ch) && cur.a2) this.bad('command only uses one address');
      }
      cur.cmd = ch ?? '';
      switch (ch) {
        case '#': {
          if (cur.a1) this.bad("comments don't accept any addresses");
          ch = this.inchar();
          if (ch === 'n' && this.firstScript && this.line < 2 && this.cur === 2) this.program.quiet = true;
          while (ch !== EOF && ch !== '\n') ch = this.inchar();
          continue;
        }
        case 'v': {
          const version = this.readLabel();
          const wanted = version === '' ? '4.0' : version;
          if (compareVersions(wanted, '4.2.2') > 0) this.bad('expected newer version of sed');
          this.opts.posix = 'extended';
          continue;
        }
        case '{':
          this.blocks.push({ index: cmds.length, name: '', where: { expr: this.exprCount, line: this.line, file: this.fileName } });
          cur.bang = !cur.bang;
          break;
        case '}': {
          const open = this.blocks.pop();
          if (!open) this.bad("unexpected `}'");
          if (cur.a1) this.bad("`}' doesn't want any addresses");
          this.endOfCommand();
          cmds[open.index]!.jump = cmds.length;
          break;
        }
        case 'e':
          ch = this.inNonblank();
          if (ch === EOF || ch === '\n') {
            cur.text = '';
            break;
          }
          this.textCommand(cur, ch);
          break;
        case 'a':
        case 'i':
        case 'c':
          this.textCommand(cur, this.inNonblank());
          break;
        case ':':
          if (cur.a1) this.bad(": doesn't want any addresses");
          cur.label = this.readLabel();
          this.labels.unshift({ index: cmds.length, name: cur.label });
          break;
        case 'T':
        case 'b':
        case 't':
          cur.label = this.readLabel();
          this.jumps.push({ index: cmds.length, name: cur.label });
          break;
        case 'Q':
        case 'q':
        case 'L':
        case 'l':
          if ((ch === 'q' || ch === 'Q') && cur.a2) this.bad('command only uses one address');
          ch = this.inNonblank();
          if (isDigit(ch) && this.opts.posix !== 'basic') {
            cur.intArg = this.inInteger(ch);
            ch = this.inNonblank();
          } else cur.intArg = -1;
          if (ch === '}' || ch === '#') this.savchar(ch);
          else if (ch !== EOF && ch !== '\n' && ch !== ';') this.bad('extra characters after command');
          break;
        case '=': case 'd': case 'D': case 'F': case 'g': case 'G': case 'h':
        case 'H': case 'n': case 'N': case 'p': case 'P': case 'z': case 'x':
          this.endOfCommand();
          break;
        case 'r':
          cur.fname = this.readFilename();
          break;
        case 'R':
          cur.fname = this.readFilename();
          if (!this.program.readFiles.includes(cur.fname)) this.program.readFiles.push(cur.fname);
          break;
        case 'W':
        case 'w':
          cur.outf = this.openFile(this.readFilename());
          break;
        case 's': {
          const slash = this.inchar();
          const pattern = this.matchSlash(slash, true);
          if (pattern === null) this.bad("unterminated `s' command");
          const repl = this.matchSlash(slash, false);
          if (repl === null) this.bad("unterminated `s' command");
          const { pieces, maxId } = this.replacement(repl);
          const sub: Subst = { regex: null, replacement: pieces, global: false, print: 0, numb: 0, evaluate: false, maxId };
          const flags = this.substOpts(sub);
          sub.regex = this.compileRegex(pattern, flags.icase, flags.multi, maxId + 1);
          cur.subst = sub;
          break;
        }
        case 'y': {
          const slash = this.inchar();
          const from = this.matchSlash(slash, false);
          if (from === null) this.bad("unterminated `y' command");
          const src = [...normalizeText(from, 'buffer')];
          const to = this.matchSlash(slash, false);
          if (to === null) this.bad("unterminated `y' command");
          const dst = [...normalizeText(to, 'buffer')];
          if (src.length !== dst.length) this.bad("strings for `y' command are different lengths");
          const map = new Map<string, string>();
          // the first pair for a character is the one GNU's lookup finds
          src.forEach((c, k) => {
            if (!map.has(c)) map.set(c, dst[k]!);
          });
          cur.translate = map;
          ch = this.inNonblank();
          if (ch !== EOF && ch !== '\n' && ch !== ';') this.bad('extra characters after command');
          break;
        }
        case EOF:
          this.bad('missing command');
        // falls through (bad never returns)
        default:
          this.bad(`unknown command: \`${ch}'`);
      }
      cmds.push(cur);
    }
    if (this.opts.posix === 'basic' && this.pendingText !== null) this.bad('incomplete command');
  }

  /** a, i, c (and e with a command): GNU's one-line form, or text after a backslash */
  private textCommand(cur: Cmd, ch: Ch): void {
    if (ch === EOF) this.bad("expected \\ after `a', `c' or `i'");
    if (ch === '\\') ch = this.inchar();
    else {
      if (this.opts.posix === 'basic') this.bad("expected \\ after `a', `c' or `i'");
      this.savchar(ch);
      ch = '\n';
    }
    this.readText(cur, ch);
  }
}

/** strverscmp for the plain dotted numbers a `v' command gives */
function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
