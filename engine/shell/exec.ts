import type { AndOr, Assignment, Command, Pipeline, Redirect, Script, SimpleCommand, Word } from './ast';
import type { CommandContext, CommandResult, CommandSpec, FsResult, ShellEnv, TextChunk, Vfs } from './types';
import { ShellExec, ShellExit, type BuiltinSpec, type ShellAccess } from './builtin';
import { BASH_TIME_FORMAT, formatTimes, POSIX_TIME_FORMAT, type PipelineTimes } from './timeFormat';
import { BASH, BASH_C, DASH, ambiguousMessage, notFoundMessage, redirectMessage, scriptDialect, syntaxMessage, type Dialect } from './dialect';
import { ExpansionError, expandString, expandWords, type ExpandContext } from './expand';
import { glob } from './glob';
import { chunksOf, mergeChunks, type ChunkedResult, type OutputChunk } from './io';
import { LIMITS } from './limits';
import { parse, wordSource } from './parse';
import { BufferSink, Budget, CaptureSink, FileSink, Interrupted, NullSink, ShellAbort, TerminalSink, type Io, type Sink } from './sinks';
import { cloneState, homeDirectory, type ShellState } from './state';
import { closeMatches, suggestionLine } from './suggest';
import { collatorFor } from './collate';
import { shellBuiltins } from './commands/builtins';
import { errnoMessage } from '../vfs/errno';
import { normalizePath } from '../vfs/path';
import { homeOf, parsePasswd } from '../vfs/accounts';

export interface ShellRunResult extends CommandResult {
  /** stdout and stderr as the terminal showed them, interleaved; adjacent chunks merged */
  output: OutputChunk[];
  /** the shell state after the line; the input state is never modified */
  state: ShellState;
}

interface RunOptions {
  /** the user the shell runs as; the login user by default */
  user?: string;
}

/** Context handed to commands run by this shell: CommandContext plus whether stdout is the terminal. */
export interface ShellCommandContext extends CommandContext {
  isatty: boolean;
}

/** A Vfs that can open a file for a redirection without writing to it (GameVfs can). */
interface OpenableVfs extends Vfs {
  open(path: string, user: string, opts: { truncate: boolean }): FsResult<void>;
  canAccess(path: string, user: string, want: 'r' | 'w' | 'x'): boolean;
}

export { initialShellState, type ShellState } from './state';

/** work one filesystem call costs besides what it reads (a file's text, a stat's size) */
const FS_CALL_WORK = 100;

/**
 * The filesystem with every read, stat, listing and write charged to the line's work: /proc and
 * /var/log render their text on each access, so `while true; do cat /var/log/syslog; done` is
 * bounded by what it reads, not only by the number of commands. The other methods (open,
 * canAccess...) are the filesystem's own.
 */
function metered(fs: Vfs, spend: (units: number) => void): Vfs {
  const m = Object.create(fs) as Vfs;
  // a file's size is known without reading it (a day of syslog is counted, not printed)
  m.stat = (path) => {
    spend(FS_CALL_WORK);
    return fs.stat(path);
  };
  if (fs.readChunks) {
    const readChunks = fs.readChunks.bind(fs);
    m.readChunks = (path, user, opts) => {
      spend(FS_CALL_WORK);
      const r = readChunks(path, user, opts);
      if (!r.ok) return r;
      // text read whole is charged as read() is; a file rendered as it is read, by the line
      if (Array.isArray(r.value)) {
        for (const c of r.value as TextChunk[]) spend(c.text.length);
        return r;
      }
      return { ok: true, value: chargedChunks(r.value, spend) };
    };
  }
  m.read = (path, user) => {
    spend(FS_CALL_WORK);
    const r = fs.read(path, user);
    if (r.ok) spend(r.value.length);
    return r;
  };
  m.list = (path, user) => {
    spend(FS_CALL_WORK);
    const r = fs.list(path, user);
    if (r.ok) spend(r.value.length * FS_CALL_WORK);
    return r;
  };
  m.write = (path, data, user, opts) => {
    spend(FS_CALL_WORK + data.length);
    return fs.write(path, data, user, opts);
  };
  return m;
}

function* chargedChunks(chunks: Iterable<TextChunk>, spend: (units: number) => void): Generator<TextChunk> {
  for (const c of chunks) {
    spend(Math.max(1, c.newlines));
    yield c;
  }
}

const BUILTINS: ReadonlyMap<string, BuiltinSpec> = new Map(shellBuiltins().map((b) => [b.name, b]));
const MAX_SHELL_DEPTH = 16;
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/games:/usr/local/games';
/** bash's builtins that print their own write errors as `bash: NAME: write error` */
const BASH_BUILTIN_WRITERS = new Set(['echo', 'printf', 'pwd', 'type', 'help', 'export', 'cd', 'true', 'false', ':']);

/**
 * Runs one typed line. Never throws: every failure ends up in stderr with a non-zero code.
 * The state passed in is copied; the state after the line comes back in the result.
 */
export function runLine(line: string, env: ShellEnv, state: ShellState, opts: RunOptions = {}): ShellRunResult {
  const term: OutputChunk[] = [];
  const budget = new Budget();
  const runner = new Runner(env, cloneState(state), opts.user ?? env.loginUser, BASH, budget, 0, []);
  const io: Io = { stdin: '', out: new TerminalSink(term, 'stdout', budget), err: new TerminalSink(term, 'stderr', budget) };
  let code: number;
  try {
    code = runner.runSource(line, io);
  } catch (e) {
    code = e instanceof ShellAbort ? (e.opts.code ?? 1) : 1;
    const msg = e instanceof ShellAbort ? e.message : e instanceof RangeError ? 'too deeply nested; the line was stopped' : `internal error: ${(e as Error)?.message ?? String(e)}`;
    if (!(e instanceof ShellAbort && e.opts.silent)) term.push({ stream: 'stderr', text: `${(e instanceof ShellAbort && e.opts.who) || 'bash'}: ${msg}\n` });
    runner.state.lastStatus = code;
  }
  const output = mergeChunks(term);
  return {
    stdout: output.filter((c) => c.stream === 'stdout').map((c) => c.text).join(''),
    stderr: output.filter((c) => c.stream === 'stderr').map((c) => c.text).join(''),
    code,
    output,
    state: runner.state,
  };
}

class Runner {
  constructor(
    private readonly env: ShellEnv,
    readonly state: ShellState,
    private readonly user: string,
    private readonly dialect: Dialect,
    private readonly budget: Budget,
    private readonly depth: number,
    /** $0, $1, ... for sh -c 'line' NAME ARGS */
    private readonly positional: string[],
  ) {
    if (depth > MAX_SHELL_DEPTH) throw new ShellAbort(`too many nested shells (this world stops at ${MAX_SHELL_DEPTH})`);
  }

  /**
   * The login user's home, as /etc/passwd gave it when this shell first asked. A real shell has it
   * from the login's environment and never reads the file again; here every command's environment
   * and every unset variable looked it up.
   */
  private loginHomeSeen: string | undefined;
  private loginHome(): string {
    return (this.loginHomeSeen ??= homeDirectory(this.env, this.env.loginUser));
  }

  runSource(src: string, shared: Io): number {
    // the shell's own descriptors: an exec >FILE in it changes them, not its caller's
    const io: Io = { ...shared };
    const parsed = parse(src);
    if (!parsed.ok) {
      const m = syntaxMessage(this.dialect, parsed.error);
      io.err.write(m.text);
      this.state.lastStatus = m.code;
      return m.code;
    }
    if (parsed.script.items.length === 0) return this.state.lastStatus;
    return this.untilExit(() => this.runScript(parsed.script, io), io);
  }

  /** Runs a whole shell's worth of commands; `exit` inside stops them here, with its status. */
  private untilExit(run: () => number, io: Io): number {
    try {
      return run();
    } catch (e) {
      if (!(e instanceof ShellExit)) throw e;
      if (e.said !== '') io.err.write(e.said);
      this.state.lastStatus = e.code;
      return e.code;
    }
  }

  /** Ctrl-C stops the line here, between two commands (or two rounds of a loop). */
  private checkpoint(): void {
    if (this.env.interrupted?.()) throw new Interrupted();
  }

  // ---- structure ----

  /** `set -e`: a command that fails, outside a condition, ends this shell */
  errexit = false;
  /** inside the condition of an if, while or until, where set -e does not apply */
  private conditionDepth = 0;

  private runScript(script: Script, io: Io): number {
    let status = this.state.lastStatus;
    for (const item of script.items) {
      const { status: s, exempt } = this.runAndOr(item, io);
      status = s;
      this.state.lastStatus = status;
      if (status !== 0 && this.errexit && this.conditionDepth === 0 && !exempt) throw new ShellExit(status);
    }
    return status;
  }

  /** `exempt`: the status came from a part set -e ignores (before && or ||, or negated with !) */
  private runAndOr(ao: AndOr, io: Io): { status: number; exempt: boolean } {
    let status = this.runPipeline(ao.first, io);
    let last = ao.first;
    for (const { op, pipeline } of ao.rest) {
      this.state.lastStatus = status;
      if ((op === '&&') === (status === 0)) {
        status = this.runPipeline(pipeline, io);
        last = pipeline;
      }
    }
    const lastRan = ao.rest.length === 0 || last === ao.rest[ao.rest.length - 1]!.pipeline;
    return { status, exempt: !lastRan || last.negate };
  }

  /** the condition of an if, while or until: set -e waits until it is over */
  private runCondition(script: Script, io: Io): number {
    this.conditionDepth++;
    try {
      return this.runScript(script, io);
    } finally {
      this.conditionDepth--;
    }
  }

  private runPipeline(p: Pipeline, io: Io): number {
    if (!p.timed) return this.runUntimed(p, io);
    // dash has no `time` keyword, and trusty has no /usr/bin/time
    if (this.dialect.kind === 'dash') {
      io.err.write(notFoundMessage(this.dialect, 'time'));
      return 127;
    }
    // the moment the player takes to cast a spell is theirs, not the pipeline's: bill it first
    this.env.startClock?.();
    const start = this.env.now();
    const cpu0 = this.env.cpuUsed?.() ?? { userMs: 0, sysMs: 0 };
    const status = p.commands.length > 0 ? this.runUntimed(p, io) : p.negate ? 1 : 0;
    const cpu1 = this.env.cpuUsed?.() ?? { userMs: 0, sysMs: 0 };
    const times: PipelineTimes = { realMs: this.env.now() - start, userMs: cpu1.userMs - cpu0.userMs, sysMs: cpu1.sysMs - cpu0.sysMs };
    // TIMEFORMAT set (even empty) replaces bash's format; -p always prints POSIX's
    const format = p.timed === 'posix' ? POSIX_TIME_FORMAT : (this.lookup('TIMEFORMAT') ?? BASH_TIME_FORMAT);
    const printed = formatTimes(format, times);
    io.err.write('text' in printed ? printed.text : `${this.dialect.prefix}: ${printed.error}\n`);
    if (times.realMs >= 1 && times.userMs + times.sysMs === 0) io.err.write(`${this.dialect.prefix}: time: a spell's own CPU time is not simulated: user and sys count the simulated processes on your terminal\n`);
    return status;
  }

  private runUntimed(p: Pipeline, io: Io): number {
    let status: number;
    if (p.commands.length === 1) {
      status = this.runCommand(p.commands[0], io);
    } else {
      // every stage of a real pipeline is a subshell: cd or X=1 inside one changes nothing after
      const saved = cloneState(this.state);
      let stdin = io.stdin;
      status = 0;
      p.commands.forEach((cmd, i) => {
        const last = i === p.commands.length - 1;
        const pipe = new BufferSink(this.budget);
        const stageIo: Io = last ? { ...io, stdin } : { stdin, out: pipe, err: p.pipeStderr[i] ? pipe : io.err };
        // each stage is a subshell of its own: an exit there ends only that stage
        status = this.untilExit(() => this.runCommand(cmd, stageIo), stageIo);
        stdin = pipe.text();
      });
      Object.assign(this.state, saved, { lastStatus: status });
    }
    return p.negate ? (status === 0 ? 1 : 0) : status;
  }

  private runCommand(c: Command, io: Io): number {
    if (c.kind === 'simple') return this.runSimple(c, io);
    const redirected = this.applyRedirs(c.redirs, io);
    if (!redirected.ok) return redirected.code;
    const rio = redirected.io;
    const status = this.runCompound(c, rio);
    return this.reportWriteErrors(rio, io, '', status);
  }

  private runCompound(c: Exclude<Command, SimpleCommand>, io: Io): number {
    switch (c.kind) {
      case 'group':
        return this.runScript(c.body, io);
      case 'subshell': {
        const child = new Runner(this.env, cloneState(this.state), this.user, this.dialect, this.budget, this.depth + 1, this.positional);
        child.errexit = this.errexit;
        const own: Io = { ...io };
        return child.untilExit(() => child.runScript(c.body, own), own);
      }
      case 'for': {
        const words = this.expand(c.words, io);
        if (!words) return 1;
        if (words.length > LIMITS.loopIterations) {
          io.err.write(`${this.dialect.prefix}: for: ${words.length} items is more than this world allows in one loop (${LIMITS.loopIterations})\n`);
          return 1;
        }
        let status = 0;
        for (const w of words) {
          this.budget.spendCommand();
          this.checkpoint();
          this.state.vars[c.name] = w;
          status = this.runScript(c.body, io);
        }
        return status;
      }
      case 'while': {
        let status = 0;
        for (let n = 0; ; n++) {
          if (n >= LIMITS.loopIterations) {
            io.err.write(`${this.dialect.prefix}: ${c.until ? 'until' : 'while'}: loop stopped after ${LIMITS.loopIterations} rounds, the most this world allows\n`);
            return 1;
          }
          this.budget.spendCommand();
          this.checkpoint();
          const cond = this.runCondition(c.cond, io);
          if ((cond === 0) === c.until) break;
          status = this.runScript(c.body, io);
        }
        return status;
      }
      case 'if': {
        for (const clause of c.clauses) {
          if (this.runCondition(clause.cond, io) === 0) return this.runScript(clause.body, io);
        }
        return c.elseBody ? this.runScript(c.elseBody, io) : 0;
      }
    }
  }

  // ---- simple commands ----

  private runSimple(c: SimpleCommand, io: Io): number {
    this.subStatus = null;
    const argv = this.expand(c.words, io);
    if (!argv) return 1;
    const assigned = this.expandAssigns(c.assigns, io);
    if (!assigned) return 1;
    const redirected = this.applyRedirs(c.redirs, io);
    if (!redirected.ok) return redirected.code;
    const rio = redirected.io;
    // bash's exec with only redirections: they stay for the rest of this shell (not at the prompt: see exec)
    if (argv.length === 1 && argv[0] === 'exec' && c.redirs.length > 0 && BUILTINS.has('exec') && !(this.depth === 0 && this.dialect.interactive)) {
      io.stdin = rio.stdin;
      io.out = rio.out;
      io.err = rio.err;
    }
    if (argv.length === 0) {
      for (const [k, v] of Object.entries(assigned)) this.state.vars[k] = v;
      const status = this.subStatus ?? 0;
      return this.reportWriteErrors(rio, io, '', status);
    }
    const status = this.invoke(argv, rio, this.user, assigned);
    return this.reportWriteErrors(rio, io, argv[0], status);
  }

  /** $? of the last command substitution in the current simple command, for `X=$(false)` */
  private subStatus: number | null = null;

  private expand(words: readonly Word[], io: Io): string[] | null {
    try {
      return expandWords(words, this.expandContext(io));
    } catch (e) {
      if (e instanceof ExpansionError) {
        io.err.write(`${this.dialect.prefix}: ${e.message}\n`);
        return null;
      }
      throw e;
    }
  }

  private expandAssigns(assigns: readonly Assignment[], io: Io): Record<string, string> | null {
    const out: Record<string, string> = {};
    try {
      const cx = this.expandContext(io);
      for (const a of assigns) out[a.name] = expandString(a.value, cx);
    } catch (e) {
      if (e instanceof ExpansionError) {
        io.err.write(`${this.dialect.prefix}: ${e.message}\n`);
        return null;
      }
      throw e;
    }
    return out;
  }

  private expandContext(io: Io): ExpandContext {
    return {
      lookup: (name) => this.lookup(name),
      assign: (name, value) => {
        this.state.vars[name] = value;
      },
      substitute: (script) => {
        const child = new Runner(this.env, cloneState(this.state), this.user, this.dialect, this.budget, this.depth + 1, this.positional);
        child.errexit = this.errexit;
        const buf = new BufferSink(this.budget);
        const status = child.untilExit(() => child.runScript(script, { stdin: '', out: buf, err: io.err }), io);
        this.subStatus = status;
        this.state.lastStatus = status;
        return buf.text();
      },
      home: (user) => this.homeFor(user),
      glob: (pattern) =>
        glob(
          pattern,
          this.state.cwd,
          {
            list: (dir) => {
              const r = this.env.fs.list(dir, this.user);
              return r.ok ? r.value : null;
            },
            exists: (p) => this.env.fs.stat(p).ok,
          },
          collatorFor(this.environment()),
          LIMITS.loopIterations,
        ),
    };
  }

  // ---- redirections ----

  private applyRedirs(redirs: readonly Redirect[], io: Io): { ok: true; io: Io } | { ok: false; code: number } {
    if (redirs.length === 0) return { ok: true, io };
    const fds: { stdin: string; out: Sink; err: Sink } = { ...io };
    for (const r of redirs) {
      const fields = this.expand([r.target], io);
      if (!fields) return { ok: false, code: 1 };
      if (r.op === '<<<') {
        fds.stdin = fields.join(' ') + '\n';
        continue;
      }
      if (fields.length !== 1 || (fields[0] === '' && r.op !== '>&' && r.op !== '<&')) {
        io.err.write(ambiguousMessage(this.dialect, wordSource(r.target)));
        return { ok: false, code: 1 };
      }
      const target = fields[0];
      if (r.op === '>&' || r.op === '<&') {
        if (target === '-') {
          this.setFd(fds, r.fd, new NullSink());
          continue;
        }
        if (/^\d+$/.test(target)) {
          const src = Number(target);
          const sink = src === 1 ? fds.out : src === 2 ? fds.err : null;
          if (!sink) {
            io.err.write(`${this.dialect.prefix}: ${target}: Bad file descriptor\n`);
            return { ok: false, code: 1 };
          }
          this.setFd(fds, r.fd, sink);
          continue;
        }
        if (r.op === '<&') {
          io.err.write(ambiguousMessage(this.dialect, target));
          return { ok: false, code: 1 };
        }
      }
      if (r.op === '<') {
        const res = this.env.fs.read(this.abs(target), this.user);
        if (!res.ok) {
          const m = redirectMessage(this.dialect, target, res.errno, false);
          io.err.write(m.text);
          return { ok: false, code: m.code };
        }
        if (r.fd === 0) fds.stdin = res.value;
        continue;
      }
      const append = r.op === '>>' || r.op === '&>>';
      const opened = this.openForWrite(target, append, fds);
      if (!opened.ok) {
        const m = redirectMessage(this.dialect, target, opened.errno, true);
        io.err.write(m.text);
        return { ok: false, code: m.code };
      }
      if (r.op === '&>' || r.op === '&>>' || (r.op === '>&' && r.fd === 1)) {
        fds.out = opened.sink;
        fds.err = opened.sink;
      } else this.setFd(fds, r.fd, opened.sink);
    }
    return { ok: true, io: fds };
  }

  private setFd(fds: { out: Sink; err: Sink }, fd: number, sink: Sink): void {
    if (fd === 1) fds.out = sink;
    else if (fd === 2) fds.err = sink;
  }

  private openForWrite(target: string, append: boolean, fds: { out: Sink; err: Sink }): { ok: true; sink: Sink } | { ok: false; errno: import('./types').Errno } {
    const path = this.abs(target);
    if (path === '/dev/stdout') return { ok: true, sink: fds.out };
    if (path === '/dev/stderr') return { ok: true, sink: fds.err };
    if (path === '/dev/null') return { ok: true, sink: new NullSink() };
    const fs = this.env.fs as Partial<OpenableVfs>;
    const res = typeof fs.open === 'function' ? fs.open(path, this.user, { truncate: !append }) : this.env.fs.write(path, '', this.user, { append });
    if (!res.ok) return { ok: false, errno: res.errno };
    return { ok: true, sink: new FileSink(this.env.fs, path, this.user, this.budget) };
  }

  /** A write to a redirected file failed mid-command (EINVAL from /proc/sys): say so as the writer would. */
  private reportWriteErrors(rio: Io, outer: Io, name: string, status: number): number {
    let code = status;
    for (const sink of new Set([rio.out, rio.err])) {
      if (sink instanceof FileSink && sink.failed) {
        const who = name === '' || BASH_BUILTIN_WRITERS.has(name) ? `${this.dialect.prefix}: ${name || 'echo'}` : name;
        outer.err.write(`${who}: write error: ${errnoMessage(sink.failed)}\n`);
        sink.failed = null;
        code = 1;
      }
    }
    return code;
  }

  // ---- running a command ----

  private invoke(argv: string[], io: Io, user: string, extraVars: Record<string, string>): number {
    this.budget.spendCommand();
    this.checkpoint();
    const status = this.invokeCommand(argv, io, user, extraVars);
    // a command Ctrl-C cut short (a sleep) ends the line: what it printed stays
    this.checkpoint();
    return status;
  }

  private invokeCommand(argv: string[], io: Io, user: string, extraVars: Record<string, string>): number {
    const name = argv[0];
    const builtin = BUILTINS.get(name);
    const ctx = this.context(argv, io, user, extraVars);
    let result: ChunkedResult;
    if (builtin) {
      try {
        result = builtin.builtin(ctx, this.access(extraVars));
      } catch (e) {
        // exec CMD: the command's output comes out before the shell it replaced is gone
        if (e instanceof ShellExec) for (const ch of chunksOf(e.result)) (ch.stream === 'stdout' ? io.out : io.err).write(ch.text);
        throw e;
      }
    } else if (name.includes('/') && !this.binaryFor(name)) {
      return this.runScriptFile(argv, io, user);
    } else {
      const spec = this.binaryFor(name) ?? this.env.commands.get(name);
      if (!spec) {
        io.err.write(notFoundMessage(this.dialect, name));
        if (this.dialect.interactive) io.err.write(suggestionLine(this.suggestions(name)));
        return 127;
      }
      result = this.guarded(spec, ctx);
    }
    const chunks = chunksOf(result);
    this.env.onCommand?.(argv, user, { stdout: result.stdout, stderr: result.stderr, code: result.code });
    for (const ch of chunks) (ch.stream === 'stdout' ? io.out : io.err).write(ch.text);
    return result.code;
  }

  /** /bin/cat, /usr/sbin/service: a full path to a command the world provides */
  private binaryFor(name: string): CommandSpec | undefined {
    const m = /^\/(?:usr\/(?:local\/)?)?s?bin\/([^/]+)$/.exec(normalizePath(name, this.state.cwd));
    if (!m || !name.includes('/')) return undefined;
    return this.env.commands.get(m[1]);
  }

  private guarded(spec: CommandSpec, ctx: ShellCommandContext): ChunkedResult {
    try {
      const r = spec.run(ctx);
      if (!r || typeof r.code !== 'number') throw new Error('no result');
      return r;
    } catch (e) {
      if (e instanceof ShellAbort) throw e;
      // what a real tool says when malloc fails: the JavaScript engine ran out of stack or of string length
      if (e instanceof RangeError && /call stack|string length|array length|allocation failed/i.test(e.message)) {
        return { stdout: '', stderr: `${ctx.argv[0]}: memory exhausted\n`, code: 1 };
      }
      return { stdout: '', stderr: `${ctx.argv[0]}: internal error: ${(e as Error)?.message ?? String(e)}\n`, code: 1 };
    }
  }

  /** ./fix.sh: a file in the VFS run as a shell script, if it may be executed. */
  private runScriptFile(argv: string[], io: Io, user: string): number {
    const name = argv[0];
    const path = this.abs(name);
    const st = this.env.fs.stat(path);
    const fail = (msg: string, code: number) => {
      io.err.write(`${this.dialect.prefix}: ${name}: ${msg}\n`);
      return code;
    };
    if (!st.ok) return fail(errnoMessage(st.errno), st.errno === 'ENOENT' ? 127 : 126);
    if (st.value.type === 'dir') return fail('Is a directory', 126);
    const fs = this.env.fs as Partial<OpenableVfs>;
    const mayExec = typeof fs.canAccess === 'function' ? fs.canAccess(path, user, 'x') : (st.value.mode & 0o111) !== 0;
    if (!mayExec) return fail('Permission denied', 126);
    const text = this.env.fs.read(path, user);
    if (!text.ok) return fail(errnoMessage(text.errno), 126);
    const firstLine = text.value.split('\n', 1)[0];
    const dash = /^#!\s*\/bin\/(da)?sh\b/.test(firstLine);
    const child = new Runner(this.env, cloneState(this.state), user, scriptDialect(name, dash), this.budget, this.depth + 1, argv);
    const status = child.runSource(text.value, io);
    this.env.onCommand?.([name], user, { stdout: '', stderr: '', code: status });
    return status;
  }

  private context(argv: string[], io: Io, user: string, extraVars: Record<string, string>): ShellCommandContext {
    // a copy, not an object inheriting from the shell's: V8 turns every object used as a prototype
    // into a slow one, and each command made a new one
    const env: ShellEnv = {
      ...this.env,
      vars: { ...this.environment(user), ...extraVars },
      work: (units: number) => this.budget.spendWork(units),
      fs: (this.meteredFs ??= metered(this.env.fs, (units) => this.budget.spendWork(units))),
    };
    return { argv, stdin: io.stdin, user, cwd: this.state.cwd, env, isatty: io.out.tty };
  }

  /** the filesystem as commands see it: what they read and stat is charged to the line's work */
  private meteredFs: Vfs | null = null;

  private access(extraVars: Record<string, string>): ShellAccess {
    const capture = (run: (io: Io) => number, stdin: string): ChunkedResult => {
      const chunks: OutputChunk[] = [];
      const io: Io = { stdin, out: new CaptureSink(chunks, 'stdout', this.budget, false), err: new CaptureSink(chunks, 'stderr', this.budget, false) };
      const code = run(io);
      return {
        stdout: chunks.filter((c) => c.stream === 'stdout').map((c) => c.text).join(''),
        stderr: chunks.filter((c) => c.stream === 'stderr').map((c) => c.text).join(''),
        code,
        output: chunks,
      };
    };
    return {
      state: this.state,
      user: this.user,
      runArgv: (argv, user, stdin, vars) => capture((io) => this.invoke(argv, io, user, { ...extraVars, ...(vars ?? {}) }), stdin),
      runChild: (line, user, stdin, dialect, args) =>
        capture((io) => {
          const d = dialect === 'sh' ? DASH : BASH_C;
          const child = new Runner(this.env, cloneState(this.state), user, d, this.budget, this.depth + 1, args);
          return child.runSource(line, io);
        }, stdin),
      lookup: (name) => this.lookup(name),
      environment: () => ({ ...this.environment(), ...extraVars }),
      home: () => this.homeFor('') ?? '/',
      isCommand: (name) => BUILTINS.has(name) || this.env.commands.get(name) !== undefined,
      suggestions: (name) => this.suggestions(name),
      messagePrefix: this.dialect.prefix,
      dash: this.dialect.kind === 'dash',
      canExit: !(this.depth === 0 && this.dialect.interactive),
      setErrexit: (on) => {
        this.errexit = on;
      },
    };
  }

  private suggestions(name: string): string[] {
    return closeMatches(name, [...this.env.commands.names(), ...BUILTINS.keys()]);
  }

  // ---- variables ----

  private lookup(name: string): string | undefined {
    switch (name) {
      case '?':
        return String(this.state.lastStatus);
      case '$': {
        if (this.state.pid > 0) return String(this.state.pid);
        const login = this.env.shellPid?.() ?? 0;
        if (login > 0) return String(login);
        const pids = this.env.pids();
        return String(pids.length ? Math.max(...pids) : 1);
      }
      case '#':
        return String(Math.max(0, this.positional.length - 1));
      case '0':
        return this.positional[0] ?? (this.dialect.kind === 'dash' ? 'sh' : this.dialect.interactive ? '-bash' : 'bash');
      case '!':
        return '';
      case '-':
        return this.dialect.interactive ? 'himBH' : 'hB';
      case '@':
      case '*':
        return this.positional.slice(1).join(' ');
    }
    if (/^\d+$/.test(name)) return this.positional[Number(name)];
    if (Object.prototype.hasOwnProperty.call(this.state.vars, name)) return this.state.vars[name];
    const base = this.baseVars();
    return Object.prototype.hasOwnProperty.call(base, name) ? base[name] : undefined;
  }

  /** The environment the login brought: Ubuntu's defaults, then whatever the chapter set. */
  private baseVars(user = this.user): Record<string, string> {
    const home = this.loginHome();
    return {
      HOME: home,
      USER: user,
      LOGNAME: user,
      SHELL: '/bin/bash',
      PATH: DEFAULT_PATH,
      TERM: 'xterm-256color',
      LANG: 'en_US.UTF-8',
      HOSTNAME: this.env.hostname,
      ...this.env.vars,
      PWD: this.state.cwd,
      ...(this.state.oldpwd ? { OLDPWD: this.state.oldpwd } : {}),
    };
  }

  /** What commands see as their environment: the login's variables plus exported shell ones. */
  private environment(user = this.user): Record<string, string> {
    const base = this.baseVars(user);
    const out: Record<string, string> = { ...base };
    for (const [k, v] of Object.entries(this.state.vars)) {
      if (k in base || this.state.exported.includes(k)) out[k] = v;
    }
    return out;
  }

  private homeFor(user: string): string | undefined {
    if (user === '') return this.lookup('HOME') ?? this.loginHome();
    const passwd = this.env.fs.read('/etc/passwd', 'root');
    const accounts = passwd.ok ? parsePasswd(passwd.value) : [];
    if (accounts.some((a) => a.name === user) || user === 'root' || user === this.env.loginUser) return homeOf(user, accounts);
    return undefined;
  }

  private abs(p: string): string {
    return normalizePath(p, this.state.cwd);
  }
}
