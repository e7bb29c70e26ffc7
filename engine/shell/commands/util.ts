import type { CommandContext, Errno, FsResult, TextChunk } from '../types';
import { errnoMessage } from '../../vfs/errno';
import { failure, type ChunkedResult } from '../io';
import { normalizePath } from '../../vfs/path';
import { textChunks } from '../../vfs/vfs';
import { Interrupted, ShellAbort } from '../sinks';
import { LIMITS } from '../limits';

export function absPath(ctx: CommandContext, p: string): string {
  return normalizePath(p, ctx.cwd);
}

/** A file operand, or stdin for `-`, read as the command's user. */
export function readOperand(ctx: CommandContext, name: string): FsResult<string> {
  if (name === '-') return { ok: true, value: ctx.stdin };
  return ctx.env.fs.read(absPath(ctx, name), ctx.user);
}

/**
 * A file operand (or stdin for `-`) in chunks of whole lines (see Vfs.readChunks), so a log of
 * hundreds of MB is never one string. With reverse the chunks come newest first, their lines
 * still in file order. Ctrl-C stops the reading between two chunks.
 */
export function operandChunks(ctx: CommandContext, name: string, opts: { reverse?: boolean; gunzip?: boolean } = {}): FsResult<Iterable<TextChunk>> {
  let src: FsResult<Iterable<TextChunk>>;
  if (name === '-') src = { ok: true, value: textChunks(ctx.stdin) };
  else {
    const fs = ctx.env.fs;
    const path = absPath(ctx, name);
    if (fs.readChunks) src = fs.readChunks(path, ctx.user, opts);
    else {
      const r = fs.read(path, ctx.user);
      src = r.ok ? { ok: true, value: textChunks(r.value) } : r;
    }
  }
  if (!src.ok) return src;
  // text already in memory stays an array (grep charges its matching as before); a stream can be stopped
  return Array.isArray(src.value) ? src : { ok: true, value: interruptible(ctx, src.value) };
}

/**
 * Why a tool could not read FILE, after `cmd: FILE: `. A rotated log's compressed bytes are not
 * simulated, only what they hold: a tool that reads bytes (where the real one would show binary
 * noise, a count of it, or nothing) says so, and `instead` names what reads the content.
 */
export function unreadableReason(errno: Errno, f: string, instead: string): string {
  return errno === 'EINVAL' && f.endsWith('.gz') ? `gzip-compressed data is not simulated here; ${instead}` : errnoMessage(errno);
}

/** a stream of chunks that Ctrl-C stops, looked at about every thousand lines as before */
export function* interruptible(ctx: CommandContext, chunks: Iterable<TextChunk>): Generator<TextChunk> {
  let lines = 0;
  for (const c of chunks) {
    lines += Math.max(1, c.newlines);
    if (lines >= 1024) {
      lines = 0;
      if (ctx.env.interrupted?.()) throw new Interrupted();
    }
    yield c;
  }
}

/** a chunk's lines without their newlines */
export function chunkLines(c: TextChunk): string[] {
  const lines = c.text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Text a command gathers to print: a day of logs is more than one line may print (and more than a
 * JavaScript string holds), so gathering stops there with the shell's own words for it.
 */
export class Gathered {
  private parts: string[] = [];
  private size = 0;

  add(text: string): void {
    this.count(text.length);
    this.parts.push(text);
  }

  /** characters printed elsewhere that count towards the same limit */
  count(n: number): void {
    this.size += n;
    if (this.size > LIMITS.output) throw new ShellAbort(`output limit reached: one line may print, pipe and write at most ${LIMITS.output} characters; the rest was not run`);
  }

  text(): string {
    return this.parts.join('');
  }
}

/** coreutils' way of ending a usage complaint */
export function tryHelp(cmd: string, message: string, code = 1): ChunkedResult {
  return failure(`${message}\nTry '${cmd} --help' for more information.\n`, code);
}

/** Lines of text without the final newline's empty tail: "a\nb\n" → [a, b]; "a\nb" → [a, b]. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
