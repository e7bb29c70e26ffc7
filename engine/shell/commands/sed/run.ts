import { REPL, SedError, type Addr, type Cmd, type Program, type ReplPiece, type SedRegex, type Subst } from './script';

/**
 * Running a compiled sed program over its input, as sed 4.2.2's execute.c does: the cycle, the
 * addresses and ranges, the append queue, the hold space, and s's matching rules.
 */

/** one line (record) read, without its delimiter; chomped: it had one */
export interface SedLine {
  text: string;
  chomped: boolean;
}

/** an input file as the runner reads it */
export interface LineReader {
  next(): SedLine | null;
  /** is there another record (reads ahead if it must) */
  hasMore(): boolean;
}

/** where output goes: stdout, a file being edited in place, or a w file */
export interface Output {
  write(text: string): void;
  missingNewline: boolean;
}

/** What the runner needs from the command around it: files, output, limits. */
export interface RunHost {
  /** opens an input file; null when it cannot be read (the host has said so) */
  open(name: string): LineReader | null;
  /** where output goes while this file is read (the file's own when editing in place) */
  outputFor(name: string): Output;
  /** the file is done: with -i, put what was written in its place */
  close(name: string): void;
  stdout: Output;
  /** a w file's output */
  writeFile(name: string): Output;
  /** the text of an r file, null when it cannot be read (r then adds nothing) */
  readWhole(name: string): string | null;
  /** the next line of an R file */
  readLineOf(name: string): string | null;
  /** work done: commands run, characters handled; throws to stop */
  spend(units: number): void;
}

export interface RunOptions {
  quiet: boolean;
  /** -s or -i: each file has its own line numbers and $ */
  separate: boolean;
  inPlace: boolean;
  delimiter: string;
  lineLength: number;
  posixExtended: boolean;
  /** characters the pattern or hold space may hold */
  maxSpace: number;
}

/** work charged for each command run, so `:a;ba` ends at the line's work limit */
const COMMAND_WORK = 32;

type Append = { text: string } | { fname: string };

export class SedRunner {
  private line: SedLine = { text: '', chomped: true };
  private hold: SedLine = { text: '', chomped: true };
  private lineNumber = 0;
  private replaced = false;
  private appendQueue: Append[] = [];
  private lastRegex: SedRegex | null = null;
  private files: string[];
  private fileIndex = 0;
  private reader: LineReader | null = null;
  private current: string | null = null;
  private resetAtNextFile = true;
  private out: Output;
  /** files that could not be read */
  badCount = 0;

  constructor(
    private readonly program: Program,
    private readonly host: RunHost,
    private readonly opts: RunOptions,
    files: string[],
  ) {
    this.files = files;
    this.out = host.stdout;
  }

  /** process_files: the exit status (q's, or 0); SedError for sed's panics */
  run(): number {
    let status = 0;
    while (this.readPatternSpace(false)) {
      const s = this.executeProgram();
      if (s !== -1) {
        status = s;
        break;
      }
    }
    this.closedown();
    return this.badCount ? 2 : status & 255;
  }

  // ---- input ----

  private openNext(name: string): void {
    this.reader = this.host.open(name);
    if (!this.reader) {
      this.badCount++;
      this.current = null;
      return;
    }
    this.current = name;
    this.out = this.host.outputFor(name);
  }

  private closedown(): void {
    if (this.current !== null) this.host.close(this.current);
    this.reader = null;
    this.current = null;
  }

  private readPatternSpace(append: boolean): boolean {
    if (this.appendQueue.length) this.dumpAppendQueue();
    this.replaced = false;
    if (!append) this.line.text = '';
    this.line.chomped = true;
    for (;;) {
      const r = this.reader?.next();
      if (r) {
        this.line.text += r.text;
        if (!r.chomped) this.line.chomped = false;
        this.checkSpace(this.line.text);
        break;
      }
      this.closedown();
      if (this.fileIndex >= this.files.length) return false;
      if (this.resetAtNextFile) {
        this.lineNumber = 0;
        this.hold = { text: '', chomped: true };
        this.resetAddresses();
        if (this.opts.inPlace) this.out.missingNewline = false;
        this.resetAtNextFile = this.opts.separate;
      }
      this.openNext(this.files[this.fileIndex++]!);
    }
    this.lineNumber++;
    return true;
  }

  private lastFileWithData(): boolean {
    for (;;) {
      this.closedown();
      if (this.fileIndex >= this.files.length) return true;
      this.openNext(this.files[this.fileIndex++]!);
      if (this.reader?.hasMore()) return false;
    }
  }

  private testEof(): boolean {
    if (this.reader?.hasMore()) return false;
    return this.opts.separate || this.lastFileWithData();
  }

  private resetAddresses(): void {
    for (const c of this.program.cmds) c.range = c.a1 && c.a1.type === 'num' && c.a1.num === 0 ? 'active' : 'inactive';
  }

  // ---- output ----

  private outputMissingNewline(o: Output): void {
    if (o.missingNewline) {
      o.write(this.opts.delimiter);
      o.missingNewline = false;
    }
  }

  private outputLine(text: string, nl: boolean, o: Output): void {
    this.outputMissingNewline(o);
    if (text) o.write(text);
    if (nl) o.write(this.opts.delimiter);
    else o.missingNewline = true;
  }

  private dumpAppendQueue(): void {
    this.outputMissingNewline(this.out);
    for (const a of this.appendQueue) {
      if ('text' in a) {
        if (a.text) this.out.write(a.text);
      } else {
        // a file that cannot be read adds nothing, as POSIX asks
        const t = this.host.readWhole(a.fname);
        if (t) this.out.write(t);
      }
    }
    this.appendQueue = [];
  }

  // ---- matching ----

  private checkSpace(text: string): void {
    if (text.length > this.opts.maxSpace) this.tooBig();
  }

  /** GNU would grow the buffer until memory ran out; this world stops it at a bound, and says so */
  private tooBig(): never {
    throw new SedError(`couldn't re-allocate memory: the pattern space passed ${this.opts.maxSpace} characters, as much as this world gives sed`, 4);
  }

  /** the regex to use: an empty one means the last one used (match_regex's regex_last) */
  private resolve(regex: SedRegex | null): SedRegex {
    if (!regex) {
      if (!this.lastRegex) throw new SedError('no previous regular expression', 4);
      return this.lastRegex;
    }
    this.lastRegex = regex;
    return regex;
  }

  private match(regex: SedRegex | null, s: string, from: number): number[] | null {
    return this.resolve(regex).re.exec(s, from);
  }

  private matchOne(a: Addr): boolean {
    switch (a.type) {
      case 'null':
        return true;
      case 'regex':
        return this.match(a.regex, this.line.text, 0) !== null;
      case 'numMod':
        return this.lineNumber >= a.num && (this.lineNumber - a.num) % a.step === 0;
      case 'step':
      case 'stepMod':
        return a.num <= this.lineNumber;
      case 'last':
        return this.testEof();
      default:
        throw new Error('sed: bad address type');
    }
  }

  private matchAddress(c: Cmd): boolean {
    if (!c.a1) return true;
    if (c.range !== 'active') {
      if (c.a1.type === 'num') {
        if (!c.a2) return this.lineNumber === c.a1.num;
        if (c.range === 'closed' || this.lineNumber < c.a1.num) return false;
      } else {
        if (!c.a2) return this.matchOne(c.a1);
        if (!this.matchOne(c.a1)) return false;
      }
      c.range = 'active';
      const a2 = c.a2;
      switch (a2.type) {
        case 'regex':
          return true;
        case 'num':
          if (this.lineNumber >= a2.num) c.range = 'closed';
          return true;
        case 'step':
          a2.num = this.lineNumber + a2.step;
          return true;
        case 'stepMod':
          a2.num = this.lineNumber + a2.step - (this.lineNumber % a2.step);
          return true;
        default:
          break;
      }
    }
    const a2 = c.a2!;
    if (a2.type === 'num') {
      if (this.lineNumber >= a2.num) c.range = 'closed';
      return this.lineNumber <= a2.num;
    }
    if (this.matchOne(a2)) c.range = 'closed';
    return true;
  }

  // ---- s ----

  private appendModified(text: string, type: number): string {
    if (type === REPL.asis || text === '') return text;
    const chars = [...text];
    let out = '';
    for (let k = 0; k < chars.length; k++) {
      const ch = chars[k]!;
      if (type & (REPL.upperFirst | REPL.lowerFirst)) {
        out += type & REPL.upperFirst ? ch.toUpperCase() : ch.toLowerCase();
        type &= ~(REPL.upperFirst | REPL.lowerFirst);
        if (type === REPL.asis) return out + chars.slice(k + 1).join('');
      } else out += type & REPL.upper ? ch.toUpperCase() : ch.toLowerCase();
    }
    return out;
  }

  private appendReplacement(pieces: ReplPiece[], spans: number[], s: string): string {
    let out = '';
    let mod = 0;
    for (const p of pieces) {
      let type = p.type & REPL.modifiers ? p.type : p.type | mod;
      mod = 0;
      if (p.prefix) {
        out += this.appendModified(p.prefix, type);
        type &= ~REPL.modifiers;
      }
      const i = p.substId;
      if (i >= 0) {
        const a = spans[2 * i] ?? -1;
        const b = spans[2 * i + 1] ?? -1;
        // an empty group keeps a \u or \l for what follows: s/\(\)\([a-z]\)/\u\1\2/
        if (a === b && p.type & REPL.modifiers) mod = type & REPL.modifiers;
        else if (a !== b && a >= 0) out += this.appendModified(s.slice(a, b), type);
      }
    }
    return out;
  }

  private doSubst(sub: Subst): void {
    const s = this.line.text;
    let start = 0;
    let lastEnd = 0;
    let count = 0;
    let again = true;
    const search = this.resolve(sub.regex).re.searcher(s);
    let spans = search(start);
    if (!spans) return;
    const parts: string[] = [];
    let size = 0;
    const add = (t: string) => {
      parts.push(t);
      size += t.length;
      if (size > this.opts.maxSpace) this.tooBig();
    };
    do {
      const offset = spans[0]!;
      let matched = spans[1]! - offset;
      if (start < offset) add(s.slice(start, offset));
      // an empty match right after the previous one is not replaced: baaac with s/a*/x/g is xbxcx
      if ((matched > 0 || count === 0 || offset > lastEnd) && ++count >= (sub.numb || 1)) {
        this.replaced = true;
        add(this.appendReplacement(sub.replacement, spans, s));
        again = sub.global;
      } else {
        if (matched === 0) {
          if (start < s.length) matched = 1;
          else break;
        }
        add(s.slice(offset, offset + matched));
      }
      start = offset + matched;
      lastEnd = spans[1]!;
      this.host.spend(COMMAND_WORK);
    } while (again && start <= s.length && (spans = search(start)) !== null);
    if (start < s.length) add(s.slice(start));
    this.line.text = parts.join('');
    if (count < (sub.numb || 1)) return;
    if (sub.evaluate) throw new SedError("the `e' flag of `s' (run the pattern space as a command) is not simulated in this world", 4);
    if (sub.print) this.outputLine(this.line.text, this.line.chomped, this.out);
    if (sub.outf) this.outputLine(this.line.text, this.line.chomped, this.host.writeFile(sub.outf));
  }

  // ---- l ----

  private list(lineLen: number): void {
    this.outputMissingNewline(this.out);
    let width = 0;
    let out = '';
    const bytes = utf8Bytes(this.line.text);
    const names: { [b: number]: string } = { 7: 'a', 8: 'b', 12: 'f', 10: 'n', 13: 'r', 9: 't', 11: 'v' };
    for (const b of bytes) {
      let o: string;
      if (b >= 0x20 && b < 0x7f) o = b === 0x5c ? '\\\\' : String.fromCharCode(b);
      else o = '\\' + (names[b] ?? b.toString(8).padStart(3, '0'));
      if (width + o.length >= lineLen && lineLen > 0) {
        out += '\\\n';
        width = 0;
      }
      out += o;
      width += o.length;
    }
    this.out.write(out + '$\n');
  }

  // ---- the cycle ----

  private executeProgram(): number {
    const cmds = this.program.cmds;
    let pc = 0;
    while (pc < cmds.length) {
      this.host.spend(COMMAND_WORK);
      const c = cmds[pc]!;
      if (this.matchAddress(c) !== c.bang) {
        switch (c.cmd) {
          case 'a':
            this.appendQueue.push({ text: c.text ?? '' });
            break;
          case '{':
          case 'b':
            pc = c.jump!;
            continue;
          case '}':
          case '#':
          case ':':
            break;
          case 'c':
            if (c.range !== 'active' && c.text) this.outputLine(c.text.slice(0, -1), true, this.out);
            return -1;
          case 'd':
            return -1;
          case 'D': {
            const nl = this.line.text.indexOf(this.opts.delimiter);
            if (nl < 0) return -1;
            this.line.text = this.line.text.slice(nl + 1);
            pc = 0;
            continue;
          }
          case 'e':
            throw new SedError("the `e' command (run a shell command) is not simulated in this world", 4);
          case 'g':
            this.line = { ...this.hold };
            break;
          case 'G':
            this.line = { text: this.line.text + this.opts.delimiter + this.hold.text, chomped: this.hold.chomped };
            this.checkSpace(this.line.text);
            break;
          case 'h':
            this.hold = { ...this.line };
            break;
          case 'H':
            this.hold = { text: this.hold.text + this.opts.delimiter + this.line.text, chomped: this.line.chomped };
            this.checkSpace(this.hold.text);
            break;
          case 'i':
            if (c.text) this.outputLine(c.text.slice(0, -1), true, this.out);
            break;
          case 'l':
            this.list(c.intArg === -1 || c.intArg === undefined ? this.opts.lineLength : c.intArg);
            break;
          case 'L':
            throw new SedError("the `L' command (fill and join lines, deprecated) is not simulated in this world", 4);
          case 'n':
            if (!this.quiet()) this.outputLine(this.line.text, this.line.chomped, this.out);
            if (this.testEof() || !this.readPatternSpace(false)) return -1;
            break;
          case 'N':
            this.line.text += this.opts.delimiter;
            if (this.testEof() || !this.readPatternSpace(true)) {
              this.line.text = this.line.text.slice(0, -1);
              if (this.opts.posixExtended && !this.quiet()) this.outputLine(this.line.text, this.line.chomped, this.out);
              return -1;
            }
            break;
          case 'p':
            this.outputLine(this.line.text, this.line.chomped, this.out);
            break;
          case 'P': {
            const nl = this.line.text.indexOf(this.opts.delimiter);
            this.outputLine(nl >= 0 ? this.line.text.slice(0, nl) : this.line.text, nl >= 0 ? true : this.line.chomped, this.out);
            break;
          }
          case 'q':
            if (!this.quiet()) this.outputLine(this.line.text, this.line.chomped, this.out);
            this.dumpAppendQueue();
            return c.intArg === -1 || c.intArg === undefined ? 0 : c.intArg;
          case 'Q':
            return c.intArg === -1 || c.intArg === undefined ? 0 : c.intArg;
          case 'r':
            if (c.fname) this.appendQueue.push({ fname: c.fname });
            break;
          case 'R': {
            const got = this.host.readLineOf(c.fname!);
            if (got !== null) this.appendQueue.push({ text: got });
            break;
          }
          case 's':
            this.doSubst(c.subst!);
            break;
          case 't':
            if (this.replaced) {
              this.replaced = false;
              pc = c.jump!;
              continue;
            }
            break;
          case 'T':
            if (!this.replaced) {
              pc = c.jump!;
              continue;
            }
            this.replaced = false;
            break;
          case 'w':
            this.outputLine(this.line.text, this.line.chomped, this.host.writeFile(c.outf!));
            break;
          case 'W': {
            const nl = this.line.text.indexOf(this.opts.delimiter);
            this.outputLine(nl >= 0 ? this.line.text.slice(0, nl) : this.line.text, nl >= 0 ? true : this.line.chomped, this.host.writeFile(c.outf!));
            break;
          }
          case 'x': {
            const t = this.line;
            this.line = this.hold;
            this.hold = t;
            break;
          }
          case 'y': {
            const map = c.translate!;
            let t = '';
            for (const ch of this.line.text) t += map.get(ch) ?? ch;
            this.line.text = t;
            break;
          }
          case 'z':
            this.line.text = '';
            break;
          case '=':
            this.outputMissingNewline(this.out);
            this.out.write(`${this.lineNumber}\n`);
            break;
          case 'F':
            this.outputMissingNewline(this.out);
            this.out.write(`${this.current ?? '-'}\n`);
            break;
          default:
            throw new Error(`sed: bad command ${c.cmd}`);
        }
      }
      pc++;
    }
    if (!this.quiet()) this.outputLine(this.line.text, this.line.chomped, this.out);
    return -1;
  }

  private quiet(): boolean {
    return this.opts.quiet || this.program.quiet;
  }
}

/** the UTF-8 bytes of a string: l shows each byte of a non-ASCII character in octal, as sed does */
function utf8Bytes(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}
