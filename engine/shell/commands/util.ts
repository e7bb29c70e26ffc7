import type { CommandContext, FsResult } from '../types';
import { failure, type ChunkedResult } from '../io';
import { normalizePath } from '../../vfs/path';

export function absPath(ctx: CommandContext, p: string): string {
  return normalizePath(p, ctx.cwd);
}

/** A file operand, or stdin for `-`, read as the command's user. */
export function readOperand(ctx: CommandContext, name: string): FsResult<string> {
  if (name === '-') return { ok: true, value: ctx.stdin };
  return ctx.env.fs.read(absPath(ctx, name), ctx.user);
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
