import type { CommandContext, Errno, TextChunk } from '../../types';
import type { Out } from '../../io';
import { errnoMessage } from '../../../vfs/errno';
import { normalizePath } from '../../../vfs/path';
import { textChunks } from '../../../vfs/vfs';
import { Interrupted } from '../../sinks';
import { LIMITS } from '../../limits';
import { Gathered, absPath, interruptible } from '../util';
import { treeOps } from '../fileops';
import { SedError } from './script';
import type { LineReader, Output, RunHost, SedLine } from './run';

/**
 * sed's dealings with the machine: reading its files a record at a time, writing w files, and
 * editing in place through the filesystem with its permission checks, as execute.c's
 * open_next_file and closedown do with a temporary file in the file's directory.
 */

/** records of a stream of chunks, split at the delimiter; the last may lack one */
class ChunkReader implements LineReader {
  private buf = '';
  private pos = 0;
  private done = false;
  private readonly it: Iterator<TextChunk>;

  constructor(
    chunks: Iterable<TextChunk>,
    private readonly delimiter: string,
  ) {
    this.it = chunks[Symbol.iterator]();
  }

  /** reads chunks until a delimiter is in the buffer after pos, or the input ends */
  private fill(): void {
    while (!this.done && this.buf.indexOf(this.delimiter, this.pos) < 0) {
      const n = this.it.next();
      if (n.done) {
        this.done = true;
        break;
      }
      this.buf = this.buf.slice(this.pos) + n.value.text;
      this.pos = 0;
    }
  }

  hasMore(): boolean {
    if (this.pos < this.buf.length) return true;
    this.fill();
    return this.pos < this.buf.length;
  }

  next(): SedLine | null {
    this.fill();
    if (this.pos >= this.buf.length) return null;
    const at = this.buf.indexOf(this.delimiter, this.pos);
    if (at < 0) {
      const text = this.buf.slice(this.pos);
      this.pos = this.buf.length;
      return { text, chomped: false };
    }
    const text = this.buf.slice(this.pos, at);
    this.pos = at + 1;
    return { text, chomped: true };
  }
}

/**
 * The letters mkstemp puts in place of XXXXXX. glibc takes them from the processor's clock
 * counter; here they come from the virtual clock, so a game replays the same.
 */
function tempLetters(now: number, path: string): string {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let v = now % 2147483647;
  for (let i = 0; i < path.length; i++) v = (v * 31 + path.charCodeAt(i)) % 2147483647;
  let out = '';
  for (let i = 0; i < 6; i++) {
    v = (v * 48271) % 2147483647;
    out += letters[v % 62];
  }
  return out;
}

/** devices a real box has that never end (or wait for a terminal), which this world's /dev lacks */
const ENDLESS_DEVICES = new Set(['/dev/zero', '/dev/urandom', '/dev/random', '/dev/tty', '/dev/console', '/dev/full']);

interface Editing {
  name: string;
  path: string;
  /** the temporary file's name as sed names it (its directory as the file was given) */
  temp: string;
  parts: string[];
  output: Output;
}

export class SedHost implements RunHost {
  readonly stdout: Output;
  private readonly gathered = new Gathered();
  private editing: Editing | null = null;
  private readonly wfiles = new Map<string, { parts: string[]; output: Output }>();
  private readonly rfiles = new Map<string, { lines: string[]; pos: number }>();
  private spent = 0;
  private sinceCheck = 0;

  constructor(
    private readonly ctx: CommandContext,
    private readonly out: Out,
    private opts: { inPlace: string | null; delimiter: string },
  ) {
    this.stdout = { write: (t) => this.print(t), missingNewline: false };
  }

  configure(opts: { inPlace: string | null; delimiter: string }): void {
    this.opts = opts;
  }

  private print(t: string): void {
    this.gathered.count(t.length);
    this.out.out(t);
  }

  spend(units: number): void {
    if (this.ctx.env.work) this.ctx.env.work(units);
    else {
      this.spent += units;
      if (this.spent > LIMITS.work) throw new SedError('work limit reached: this line did more than one turn allows', 4);
    }
    this.sinceCheck += units;
    if (this.sinceCheck > 65536) {
      this.sinceCheck = 0;
      if (this.ctx.env.interrupted?.()) throw new Interrupted();
    }
  }

  open(name: string): LineReader | null {
    const inPlace = this.opts.inPlace !== null;
    if (name === '-' && !inPlace) return new ChunkReader(textChunks(this.ctx.stdin), this.opts.delimiter);
    const fs = this.ctx.env.fs;
    const path = absPath(this.ctx, name);
    if (path === '/dev/stdin' && !inPlace) return new ChunkReader(textChunks(this.ctx.stdin), this.opts.delimiter);
    if (ENDLESS_DEVICES.has(path) && !fs.stat(path).ok) {
      // GNU sed would read these for ever (or wait at the terminal): this world has no such device
      this.out.errLine(`sed: can't read ${name}: this device is not simulated in this world`);
      return null;
    }
    const r = fs.readChunks ? fs.readChunks(path, this.ctx.user) : (() => {
      const whole = fs.read(path, this.ctx.user);
      return whole.ok ? { ok: true as const, value: textChunks(whole.value) as Iterable<TextChunk> } : whole;
    })();
    if (!r.ok) {
      // fopen of a directory succeeds; reading it, or checking that it is a regular file, does not
      if (r.errno === 'EISDIR') throw new SedError(inPlace ? `couldn't edit ${name}: not a regular file` : `read error on ${name}: Is a directory`, 4);
      this.out.errLine(`sed: can't read ${name}: ${errnoMessage(r.errno)}`);
      return null;
    }
    if (inPlace) this.beginEdit(name, path);
    const chunks = Array.isArray(r.value) ? r.value : interruptible(this.ctx, r.value);
    return new ChunkReader(chunks, this.opts.delimiter);
  }

  /** open_next_file's checks for -i: a regular file, and a temporary file its directory takes */
  private beginEdit(name: string, path: string): void {
    if (path === '/dev/null') throw new SedError(`couldn't edit ${name}: not a regular file`, 4);
    const slash = name.lastIndexOf('/');
    const dir = slash >= 0 ? name.slice(0, slash) : '.';
    const temp = `${dir}/sed${tempLetters(this.ctx.env.now(), path)}`;
    const tempPath = normalizePath(temp, this.ctx.cwd);
    const fs = this.ctx.env.fs;
    // mkstemp: O_CREAT|O_EXCL in the file's directory, with the directory's permissions
    if (!fs.stat(tempPath).ok) {
      const made = fs.write(tempPath, '', this.ctx.user);
      if (!made.ok) throw new SedError(`couldn't open temporary file ${temp}: ${errnoMessage(made.errno)}`, 4);
      fs.remove(tempPath, this.ctx.user);
    }
    const parts: string[] = [];
    const output: Output = {
      write: (t) => {
        this.gathered.count(t.length);
        parts.push(t);
      },
      missingNewline: false,
    };
    this.editing = { name, path, temp, parts, output };
  }

  outputFor(name: string): Output {
    return this.editing && this.editing.name === name ? this.editing.output : this.stdout;
  }

  /** closedown: the backup, then the edited text in the file's place */
  close(name: string): void {
    const e = this.editing;
    if (!e || e.name !== name) return;
    this.editing = null;
    const fs = this.ctx.env.fs;
    const user = this.ctx.user;
    const ext = this.opts.inPlace!;
    if (ext !== '*') {
      // each * of the suffix stands for the file's name as given
      const backup = ext.split('*').join(name);
      const tree = treeOps(this.ctx);
      const copied = tree ? tree.copyFile(e.path, absPath(this.ctx, backup), user) : { ok: false as const, errno: 'EPERM' as Errno };
      if (!copied.ok) throw new SedError(`cannot rename ${name}: ${errnoMessage(copied.errno)}`, 4);
    }
    const text = e.parts.join('');
    const w = fs.write(e.path, text, user);
    if (w.ok) return;
    // not writable itself, but its directory is: sed's rename puts a new file in its place
    const tree = treeOps(this.ctx);
    const mode = fs.stat(e.path);
    if (w.errno === 'EACCES' && tree && mode.ok) {
      const tempPath = normalizePath(e.temp, this.ctx.cwd);
      const made = fs.write(tempPath, text, user);
      if (!made.ok) throw new SedError(`couldn't flush ${e.temp}: ${errnoMessage(made.errno)}`, 4);
      tree.chmod(tempPath, user, mode.value.mode);
      const moved = tree.rename(tempPath, e.path, user);
      if (moved.ok) return;
      fs.remove(tempPath, user);
      throw new SedError(`cannot rename ${e.temp}: ${errnoMessage(moved.errno)}`, 4);
    }
    throw new SedError(`couldn't flush ${e.temp}: ${errnoMessage(w.errno)}`, 4);
  }

  /** a w file is opened (emptied) when the script is compiled; the text an error gives, or null */
  openWrite(name: string): string | null {
    const r = this.ctx.env.fs.write(absPath(this.ctx, name), '', this.ctx.user);
    return r.ok ? null : errnoMessage(r.errno);
  }

  writeFile(name: string): Output {
    if (name === '/dev/stdout') return this.stdout;
    if (name === '/dev/stderr') return { write: (t) => this.out.err(t), missingNewline: false };
    let f = this.wfiles.get(name);
    if (!f) {
      const parts: string[] = [];
      f = {
        parts,
        output: {
          write: (t) => {
            this.gathered.count(t.length);
            parts.push(t);
          },
          missingNewline: false,
        },
      };
      this.wfiles.set(name, f);
    }
    return f.output;
  }

  /** what the w files got, written out (sed writes them line by line, so they keep it after an error) */
  flushWriteFiles(): void {
    for (const [name, f] of this.wfiles) {
      if (f.parts.length === 0) continue;
      const r = this.ctx.env.fs.write(absPath(this.ctx, name), f.parts.join(''), this.ctx.user, { append: true });
      f.parts.length = 0;
      if (!r.ok) this.out.errLine(`sed: couldn't flush ${name}: ${errnoMessage(r.errno)}`);
    }
  }

  readWhole(name: string): string | null {
    if (name === '/dev/stdin') return this.ctx.stdin;
    const r = this.ctx.env.fs.read(absPath(this.ctx, name), this.ctx.user);
    return r.ok ? r.value : null;
  }

  readLineOf(name: string): string | null {
    let f = this.rfiles.get(name);
    if (!f) {
      const text = this.readWhole(name) ?? '';
      const lines = text.split(this.opts.delimiter).map((l) => l + this.opts.delimiter);
      // the piece after the last delimiter is a line without one, or nothing
      const tail = lines.pop()!.slice(0, -1);
      if (tail !== '') lines.push(tail);
      f = { lines, pos: 0 };
      this.rfiles.set(name, f);
    }
    return f.pos < f.lines.length ? f.lines[f.pos++]! : null;
  }

  /** a -f script file (or standard input for -) */
  readScript(name: string): string {
    if (name === '-') return this.ctx.stdin;
    const r = this.ctx.env.fs.read(absPath(this.ctx, name), this.ctx.user);
    if (!r.ok) throw new SedError(`couldn't open file ${name}: ${errnoMessage(r.errno)}`, 4);
    return r.value;
  }
}
