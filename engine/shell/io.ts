import type { CommandResult } from './types';

/** One piece of what a command printed, in the order a terminal would have shown it. */
export interface OutputChunk {
  stream: 'stdout' | 'stderr';
  text: string;
}

/**
 * A CommandResult that also remembers how stdout and stderr interleaved. Commands that print
 * both (cat of a missing file between two good ones) return this; plain results still work.
 */
export interface ChunkedResult extends CommandResult {
  output?: OutputChunk[];
}

/** Builds a ChunkedResult as a command prints. */
export class Out {
  private readonly chunks: OutputChunk[] = [];

  out(text: string): this {
    if (text) this.chunks.push({ stream: 'stdout', text });
    return this;
  }

  err(text: string): this {
    if (text) this.chunks.push({ stream: 'stderr', text });
    return this;
  }

  /** what another command printed, stdout and stderr in the order it wrote them (find -exec, xargs) */
  result(r: CommandResult): this {
    for (const c of chunksOf(r)) (c.stream === 'stdout' ? this.out(c.text) : this.err(c.text));
    return this;
  }

  /** an error line; the newline is added here */
  errLine(line: string): this {
    return this.err(line + '\n');
  }

  /** Adjacent pieces of one stream become one chunk, as one write(2) would carry them. */
  done(code: number): ChunkedResult {
    return {
      stdout: this.chunks.filter((c) => c.stream === 'stdout').map((c) => c.text).join(''),
      stderr: this.chunks.filter((c) => c.stream === 'stderr').map((c) => c.text).join(''),
      code,
      output: mergeChunks(this.chunks),
    };
  }
}

export function ok(stdout = ''): ChunkedResult {
  return new Out().out(stdout).done(0);
}

export function failure(stderr: string, code = 1): ChunkedResult {
  return new Out().err(stderr).done(code);
}

/** The chunks of any result; without a recorded order, stdout is taken to come first. */
export function chunksOf(r: CommandResult): OutputChunk[] {
  const ordered = (r as ChunkedResult).output;
  if (Array.isArray(ordered)) return ordered;
  const out: OutputChunk[] = [];
  if (r.stdout) out.push({ stream: 'stdout', text: r.stdout });
  if (r.stderr) out.push({ stream: 'stderr', text: r.stderr });
  return out;
}

/** Adjacent chunks of the same stream merged, so a front end gets few blocks. */
export function mergeChunks(chunks: readonly OutputChunk[]): OutputChunk[] {
  const out: OutputChunk[] = [];
  for (const c of chunks) {
    if (!c.text) continue;
    const last = out[out.length - 1];
    if (last && last.stream === c.stream) last.text += c.text;
    else out.push({ stream: c.stream, text: c.text });
  }
  return out;
}
