/**
 * du from coreutils 8.21: the walk's arithmetic and its lines. The caller supplies the tree;
 * this module decides what is printed (-a, -s, --max-depth) and how (-h, -k, -m, -c).
 */
import { getopt } from '../shell/getopt';
import { exitWith, type ParsedArgs } from './args';
import { humanSize } from './df';

export interface DuOptions {
  all: boolean;
  summarize: boolean;
  total: boolean;
  human: boolean;
  /** 1024 (-k, the default), 1048576 (-m) */
  blockSize: number;
  maxDepth: number;
  paths: string[];
}

/** one run of du's output on one stream, in the order written */
export interface DuChunk {
  stream: 'stdout' | 'stderr';
  text: string;
}

const TRY = "Try 'du --help' for more information.\n";

export function parseDuArgs(argv: readonly string[]): ParsedArgs<DuOptions> {
  const o: DuOptions = { all: false, summarize: false, total: false, human: false, blockSize: 1024, maxDepth: Infinity, paths: [] };
  const p = getopt('du', argv, [
    { short: 'a', long: 'all', key: 'a' },
    { short: 's', long: 'summarize', key: 's' },
    { short: 'c', long: 'total', key: 'c' },
    { short: 'h', long: 'human-readable', key: 'h' },
    { short: 'k', key: 'k' },
    { short: 'm', key: 'm' },
    { short: 'd', long: 'max-depth', key: 'd', arg: 'required' },
    { short: 'x', long: 'one-file-system', key: 'x' },
    { long: 'help', key: 'help' },
    { long: 'version', key: 'version' },
  ]);
  if (p.error !== undefined) return exitWith('', `${p.error}\n${TRY}`, 1);
  for (const e of p.opts) {
    if (e.key === 'a') o.all = true;
    else if (e.key === 's') o.summarize = true;
    else if (e.key === 'c') o.total = true;
    else if (e.key === 'h') o.human = true;
    else if (e.key === 'k') {
      o.human = false;
      o.blockSize = 1024;
    } else if (e.key === 'm') {
      o.human = false;
      o.blockSize = 1_048_576;
    } else if (e.key === 'd') {
      if (!/^\d+$/.test(e.value!)) return exitWith('', `du: invalid maximum depth '${e.value}'\n${TRY}`, 1);
      o.maxDepth = Number(e.value);
    } else if (e.key === 'help') return exitWith('Usage: du [OPTION]... [FILE]...\n  or:  du [OPTION]... --files0-from=F\nSummarize disk usage of each FILE, recursively for directories.\n', '', 0);
    else if (e.key === 'version') return exitWith('du (GNU coreutils) 8.21\n', '', 0);
  }
  if (o.summarize && o.all) return exitWith('', `du: cannot both summarize and show all entries\n${TRY}`, 1);
  if (o.summarize && o.maxDepth !== Infinity && o.maxDepth !== 0) return exitWith('', `du: warning: summarizing conflicts with --max-depth=${o.maxDepth}\n${TRY}`, 1);
  if (o.summarize) o.maxDepth = 0;
  o.paths = p.operands.length ? p.operands : ['.'];
  return { ok: true, options: o };
}

/** one size column: 1K blocks rounded up, or -h's ceiling-rounded units */
export function duSize(kb: number, o: DuOptions): string {
  if (o.human) return humanSize(kb * 1024, 1024);
  return String(Math.ceil((kb * 1024) / o.blockSize));
}

/** what the walk found, depth first, children before their directory as du prints them */
export type DuEntry =
  | { kind: 'entry'; path: string; kb: number; dir: boolean; depth: number }
  | { kind: 'error'; message: string };

export function formatDu(walks: ReadonlyArray<{ entries: DuEntry[]; kb: number }>, o: DuOptions): { stdout: string; stderr: string; code: number; output: DuChunk[] } {
  // lines in the order du writes them: an error where the walk met it, between the sizes around it
  const output: DuChunk[] = [];
  const put = (stream: DuChunk['stream'], text: string): void => {
    const last = output[output.length - 1];
    if (last?.stream === stream) last.text += text;
    else output.push({ stream, text });
  };
  let total = 0;
  for (const walk of walks) {
    for (const e of walk.entries) {
      if (e.kind === 'error') {
        put('stderr', `${e.message}\n`);
        continue;
      }
      if (e.depth > o.maxDepth) continue;
      if (!e.dir && !o.all && e.depth > 0) continue;
      put('stdout', `${duSize(e.kb, o)}\t${e.path}\n`);
    }
    total += walk.kb;
  }
  if (o.total) put('stdout', `${duSize(total, o)}\ttotal\n`);
  const of = (stream: DuChunk['stream']): string => output.filter((c) => c.stream === stream).map((c) => c.text).join('');
  const stderr = of('stderr');
  return { stdout: of('stdout'), stderr, code: stderr ? 1 : 0, output };
}
