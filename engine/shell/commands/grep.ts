import type { ChunkParts, CommandContext } from '../types';
import { Out, ok } from '../io';
import { getopt, has, last, type OptDef, type ParsedOpt } from '../getopt';
import { RegexError, RegexTooComplex, anyOf, compileNode, isLiteral, literalNode, nonEmptyMatches, parsePosix, plainFinder, requiredLiteral, wholeLine, wholeWord } from '../regex';
import { errnoMessage } from '../../vfs/errno';
import { joinPath } from '../../vfs/path';
import { absPath, chunkLines, Gathered, operandChunks, unreadableReason } from './util';
import { defineCommand } from './define';

const USAGE = "Usage: grep [OPTION]... PATTERN [FILE]...\nTry 'grep --help' for more information.\n";

const OPTS: OptDef[] = [
  { key: 'E', short: 'E', long: 'extended-regexp' },
  { key: 'F', short: 'F', long: 'fixed-strings' },
  { key: 'G', short: 'G', long: 'basic-regexp' },
  { key: 'e', short: 'e', long: 'regexp', arg: 'required' },
  { key: 'i', short: 'i', long: 'ignore-case' },
  { key: 'y', short: 'y' },
  { key: 'v', short: 'v', long: 'invert-match' },
  { key: 'w', short: 'w', long: 'word-regexp' },
  { key: 'x', short: 'x', long: 'line-regexp' },
  { key: 'c', short: 'c', long: 'count' },
  { key: 'l', short: 'l', long: 'files-with-matches' },
  { key: 'L', short: 'L', long: 'files-without-match' },
  { key: 'o', short: 'o', long: 'only-matching' },
  { key: 'q', short: 'q', long: 'quiet' },
  { key: 'q', long: 'silent' },
  { key: 's', short: 's', long: 'no-messages' },
  { key: 'n', short: 'n', long: 'line-number' },
  { key: 'h', short: 'h', long: 'no-filename' },
  { key: 'H', short: 'H', long: 'with-filename' },
  { key: 'A', short: 'A', long: 'after-context', arg: 'required' },
  { key: 'B', short: 'B', long: 'before-context', arg: 'required' },
  { key: 'C', short: 'C', long: 'context', arg: 'required' },
  { key: 'm', short: 'm', long: 'max-count', arg: 'required' },
  { key: 'r', short: 'r', long: 'recursive' },
  { key: 'r', short: 'R', long: 'dereference-recursive' },
  // every file grep can read here is text (a rotated .gz log's bytes are not simulated: zcat and
  // zgrep read it), so reading binary as text, or passing it over, leaves nothing to do
  { key: 'a', short: 'a', long: 'text' },
  { key: 'I', short: 'I' },
  { key: 'color', long: 'color', arg: 'none' },
  { key: 'color', long: 'colour', arg: 'none' },
];

interface Matcher {
  /** does the line count as selected (before -v) */
  test(line: string): boolean;
  /** the matched pieces, for -o */
  pieces(line: string): string[];
  /**
   * Where in text, from `from` on, the next line that may match is: the index of a string every
   * match contains (see requiredLiteral), or -1 when no line after `from` can match. Absent when
   * the pattern promises no such string.
   */
  find?(text: string, from: number): number;
  /** the pattern is that string and nothing else: a line find() lands in matches */
  exact?: boolean;
  /** the string itself, when the pattern is it and its case matters */
  literal?: string;
}

/**
 * Whether a string can only be in the tails of a chunk's lines (lead + digits + tail): it starts
 * with no digit, so not among the digits, and from no place in a lead does it either fit in the
 * rest of the lead or begin with that rest.
 */
/** which of a set of shared tails hold a string: a bulk run's reports repeat theirs kill after kill */
const sharedHits = new WeakMap<readonly string[], Map<string, { holds: boolean[]; count: number }>>();

function sharedHitsOf(shared: NonNullable<ChunkParts['shared']>, x: string): { holds: boolean[]; count: number } {
  let byString = sharedHits.get(shared.tails);
  if (!byString) sharedHits.set(shared.tails, (byString = new Map()));
  let hits = byString.get(x);
  if (!hits) {
    const holds = shared.tails.map((t) => t.includes(x));
    hits = { holds, count: holds.filter(Boolean).length };
    byString.set(x, hits);
  }
  return hits;
}

/** how many tails hold x */
function countInTails(parts: ChunkParts, x: string): number {
  const shared = parts.shared;
  if (!shared) return parts.tails.reduce((n, t) => n + (t.includes(x) ? 1 : 0), 0);
  const hits = sharedHitsOf(shared, x);
  let n = hits.count;
  for (const k of shared.changed) n += (parts.tails[k]!.includes(x) ? 1 : 0) - (hits.holds[k] ? 1 : 0);
  return n;
}

/** which tails hold x */
function tailsHolding(parts: ChunkParts, x: string): boolean[] {
  const shared = parts.shared;
  if (!shared) return parts.tails.map((t) => t.includes(x));
  const holds = sharedHitsOf(shared, x).holds.slice();
  for (const k of shared.changed) holds[k] = parts.tails[k]!.includes(x);
  return holds;
}

function onlyInTails(parts: ChunkParts, x: string): boolean {
  const c = x.charCodeAt(0);
  if (parts.digits > 0 && c >= 0x30 && c <= 0x39) return false;
  for (const lead of parts.leads) {
    for (let i = lead.indexOf(x[0]!); i >= 0; i = lead.indexOf(x[0]!, i + 1)) {
      const rest = lead.slice(i);
      if (rest.startsWith(x) || x.startsWith(rest)) return false;
    }
  }
  return true;
}

/**
 * How to look for the string every match contains, in a chunk of many lines (so never across a
 * newline, and no surrogates at all). With -i, only for ASCII (plainFinder): the backtracking
 * engine, which lowercases, sees no more characters as equal than re2 does.
 */
function literalFinder(lit: string, ignoreCase: boolean): ((text: string, from: number) => number) | null {
  return /[\n\ud800-\udfff]/.test(lit) ? null : plainFinder(lit, ignoreCase);
}

function buildMatcher(patterns: string[], opts: ParsedOpt[], work?: (units: number) => void): Matcher {
  const fixed = has(opts, 'F');
  const extended = has(opts, 'E');
  const ignoreCase = has(opts, 'i') || has(opts, 'y');
  // several patterns are one alternation; each one's groups are numbered after the previous one's
  let groups = 0;
  const nodes = patterns.map((p) => {
    if (fixed) return literalNode(p);
    const parsed = parsePosix(p, { extended }, groups);
    groups += parsed.groups;
    return parsed.node;
  });
  let node = anyOf(nodes);
  if (has(opts, 'x')) node = wholeLine(node);
  else if (has(opts, 'w')) node = wholeWord(node);
  const re = compileNode(node, { ignoreCase, work });
  const find = literalFinder(requiredLiteral(node), ignoreCase);
  return {
    test: (line) => re.test(line),
    pieces: (line) => nonEmptyMatches(re, line).map((m) => line.slice(m.index, m.end)),
    ...(find ? { find, exact: isLiteral(node) && re.engine !== 'bounded' } : {}),
    ...(find && !ignoreCase && isLiteral(node) && re.engine !== 'bounded' ? { literal: requiredLiteral(node) } : {}),
  };
}

/**
 * The text, its characters copied out of the chunk its line was cut from: V8 makes a long slice
 * point into its source, so a printed line would keep a whole rendered record alive (a day of
 * kills, a GB). Reading a character of a concatenation has V8 flatten it into a string of its own.
 */
function ownCharacters(text: string): string {
  text.charCodeAt(0);
  return text;
}

function contextArg(v: string | undefined): number | null | 'bad' {
  if (v === undefined) return null;
  return /^\d+$/.test(v) ? Number(v) : 'bad';
}

/** Every file under a directory, depth first in name order, for -r. */
function walk(ctx: CommandContext, shown: string, out: Out): string[] {
  const files: string[] = [];
  const visit = (display: string, depth: number) => {
    if (depth > 32) return;
    const st = ctx.env.fs.stat(absPath(ctx, display));
    if (!st.ok) return;
    if (st.value.type === 'file') {
      files.push(display);
      return;
    }
    const names = ctx.env.fs.list(absPath(ctx, display), ctx.user);
    if (!names.ok) {
      out.errLine(`grep: ${display}: ${errnoMessage(names.errno)}`);
      return;
    }
    for (const n of names.value) visit(display.endsWith('/') ? display + n : joinPath(display, n), depth + 1);
  };
  visit(shown, 0);
  return files;
}

export const grep = defineCommand({
  name: 'grep',
  summary: 'print lines that match a pattern',
  category: 'text',
  argKind: 'path',
  completions: ['-i', '-v', '-c', '-E', '-F', '-n', '-o', '-w', '-x', '-l', '-h', '-H', '-q', '-s', '-r', '-A', '-B', '-C', '-m', '-e'],
  synopsis: ['grep [OPTION]... PATTERN [FILE]...', 'grep [OPTION]... -e PATTERN... [FILE]...'],
  description: [
    'Searches each FILE (standard input when there is none, or for -) for lines matching PATTERN and prints them. With more than one file, each line is prefixed with the name of its file.',
    'PATTERN is a basic regular expression: . any character, * repeats the previous item, ^ and $ anchor to the line\'s start and end, [abc] and [^0-9] are character classes ([[:digit:]] and friends work too). In a basic expression, write \\( \\) \\{ \\} \\| \\+ \\? for groups, counts, alternatives and repeats; with -E they are written without backslashes.',
    'The exit status is 0 when some line was selected, 1 when none was, and 2 after an error such as an unreadable file.',
  ],
  options: [
    ['-E', 'PATTERN is an extended regular expression (egrep).'],
    ['-F', 'PATTERN is a plain string, not a regular expression.'],
    ['-e PATTERN', 'Use PATTERN; may be given several times, and protects a pattern that starts with -.'],
    ['-i', 'Ignore the difference between upper and lower case.'],
    ['-v', 'Select the lines that do NOT match.'],
    ['-w', 'Match whole words only.'],
    ['-x', 'Match whole lines only.'],
    ['-c', 'Print only the number of selected lines (per file).'],
    ['-l', 'Print only the names of files with a selected line.'],
    ['-L', 'Print only the names of files without one.'],
    ['-o', 'Print only the matching parts, each on its own line.'],
    ['-n', 'Prefix each line with its line number.'],
    ['-h, -H', 'Never, or always, prefix lines with the file name.'],
    ['-A N, -B N, -C N', 'Also print N lines of context after, before, or around each match; groups are separated by --.'],
    ['-m N', 'Stop after N selected lines.'],
    ['-q', 'Print nothing; only the exit status tells.'],
    ['-s', 'Say nothing about missing or unreadable files.'],
    ['-r', 'Search directories recursively.'],
    ['-a, -I', 'Read a binary file as text, or pass it over; on this box every file grep reads is text already.'],
  ],
  examples: [
    ['grep -i dentry /proc/slabinfo', 'Find the dentry cache, whatever its case.'],
    ['ps aux | grep -v grep | grep cron', 'Processes named cron, without the grep itself.'],
    ['grep -c ^processor /proc/cpuinfo', 'Count the CPUs.'],
    ["grep -E 'MemFree|Cached' /proc/meminfo", 'Two fields at once.'],
  ],
  notes: [
    'Patterns are matched in time proportional to the text (by re2js, after translation), however they are written. Back-references (\\1) cannot be matched that way: those patterns are tried every way they can match, and grep gives up with "pattern too complex" (exit status 2) rather than hang. Rare POSIX corners (collating elements like [[.a.]], non-ASCII word characters) can differ.',
  ],
  run(ctx) {
    const p = getopt('grep', ctx.argv.slice(1), OPTS, { builtinHelp: true });
    if (p.help) return ok(USAGE.split('\n')[0] + '\nSearch for PATTERN in each FILE or standard input.\n');
    if (p.error !== undefined) return { stdout: '', stderr: `${p.error}\n${USAGE}`, code: 2 };
    const out = new Out();
    const operands = [...p.operands];
    const patternOpts = p.opts.filter((o) => o.key === 'e').map((o) => o.value ?? '');
    if (patternOpts.length === 0) {
      if (operands.length === 0) return { stdout: '', stderr: USAGE, code: 2 };
      patternOpts.push(operands.shift()!);
    }
    const patterns = patternOpts.flatMap((x) => x.split('\n'));
    const ctxA = contextArg(last(p.opts, 'A') ?? last(p.opts, 'C'));
    const ctxB = contextArg(last(p.opts, 'B') ?? last(p.opts, 'C'));
    for (const [k, v] of [['A', ctxA], ['B', ctxB]] as const) {
      if (v === 'bad') return { stdout: '', stderr: `grep: ${last(p.opts, k) ?? last(p.opts, 'C')}: invalid context length argument\n`, code: 2 };
    }
    const maxCount = last(p.opts, 'm');
    if (maxCount !== undefined && !/^\d+$/.test(maxCount)) return { stdout: '', stderr: `grep: invalid max count\n`, code: 2 };
    let matcher: Matcher;
    let streamMatcher: Matcher;
    try {
      matcher = buildMatcher(patterns, p.opts, ctx.env.work);
      // a file rendered a line at a time is charged by the line as it is read, and Ctrl-C stops it
      streamMatcher = buildMatcher(patterns, p.opts);
    } catch (e) {
      if (!(e instanceof RegexError)) throw e;
      return { stdout: '', stderr: `grep: ${e.message}\n`, code: 2 };
    }
    const after = typeof ctxA === 'number' ? ctxA : 0;
    const before = typeof ctxB === 'number' ? ctxB : 0;
    const invert = has(p.opts, 'v');
    const quiet = has(p.opts, 'q');
    const silent = has(p.opts, 's');
    const recursive = has(p.opts, 'r');
    let files = operands.length ? operands : [recursive ? '.' : '-'];
    if (recursive) files = files.flatMap((f) => (f === '-' ? [f] : walk(ctx, f, out)));
    const withName = has(p.opts, 'H') || (!has(p.opts, 'h') && (files.length > 1 || recursive));
    const number = has(p.opts, 'n');
    let anySelected = false;
    let error = false;
    let lastPrintedGroup = false;

    const scan = (): number | null => {
      for (const f of files) {
        const display = f === '-' ? '(standard input)' : f;
        const r = operandChunks(ctx, f);
        if (!r.ok) {
          if (!silent) out.errLine(`grep: ${f}: ${unreadableReason(r.errno, f, `zgrep searches what it holds`)}`);
          error = true;
          continue;
        }
        const prefix = (n: number, sep: string) => (withName ? `${display}${sep}` : '') + (number ? `${n}${sep}` : '');
        let count = 0;
        let lastPrinted = -1;
        let afterLeft = 0;
        const limit = maxCount !== undefined ? Number(maxCount) : Infinity;
        const counting = has(p.opts, 'c') || has(p.opts, 'l') || has(p.opts, 'L');
        // the lines before the current one, for -B: only as many as asked for are kept
        const recent: string[] = [];
        const m = Array.isArray(r.value) ? matcher : streamMatcher;
        const printed = new Gathered();
        let i = -1;
        const print = (text: string): void => void out.out(ownCharacters(text));
        /** one line, the i-th; `known` when it is already known to be selected. false: stop reading */
        const visit = (line: string, known?: boolean): boolean | 'quiet' => {
          if (count >= limit) {
            // GNU grep still prints trailing context after the last counted match
            if (afterLeft > 0 && !counting) {
              print(prefix(i + 1, '-') + line + '\n');
              lastPrinted = i;
              afterLeft--;
              return true;
            }
            return false;
          }
          const selected = known ?? m.test(line) !== invert;
          if (!selected) {
            if (afterLeft > 0 && !quiet && !counting && !has(p.opts, 'o')) {
              print(prefix(i + 1, '-') + line + '\n');
              lastPrinted = i;
              afterLeft--;
            }
            if (before > 0) {
              recent.push(line);
              if (recent.length > before) recent.shift();
            }
            return true;
          }
          count++;
          anySelected = true;
          if (quiet) return 'quiet';
          if (counting) return true;
          if (before > 0 || after > 0) {
            const start = Math.max(lastPrinted + 1, i - before);
            if (lastPrintedGroup && start > lastPrinted + 1) print('--\n');
            for (let j = start; j < i; j++) print(prefix(j + 1, '-') + recent[recent.length - (i - j)]! + '\n');
          }
          if (has(p.opts, 'o')) {
            if (!invert) for (const piece of m.pieces(line)) print(prefix(i + 1, ':') + piece + '\n');
          } else {
            const text = prefix(i + 1, ':') + line + '\n';
            printed.count(text.length);
            print(text);
          }
          lastPrinted = i;
          lastPrintedGroup = true;
          afterLeft = after;
          if (before > 0) {
            recent.push(line);
            if (recent.length > before) recent.shift();
          }
          return true;
        };
        // A line without the string every match contains cannot match. Without context, such lines
        // are passed over unseen (counted as selected by -v -c), and only the lines where the string
        // occurs are cut out and tried: not even that when the pattern is the string itself.
        const find = m.find;
        const skipping = find !== undefined && before === 0 && after === 0 && (!invert || (counting && !quiet && limit === Infinity));
        const inMemory = Array.isArray(r.value);
        reading: for (const chunk of r.value) {
          if (!skipping) {
            for (const line of chunkLines(chunk)) {
              i++;
              const v = visit(line);
              if (v === 'quiet') return 0;
              if (!v) break reading;
            }
            continue;
          }
          const parts = m.literal !== undefined ? chunk.parts : undefined;
          if (parts && onlyInTails(parts, m.literal!)) {
            // a record that knows its lines' parts: the string is looked for in their tails, and
            // only the lines that hold it are rendered, if they are printed at all
            const n = parts.tails.length;
            if (counting && !quiet && limit === Infinity) {
              const found = countInTails(parts, m.literal!);
              count += invert ? n - found : found;
              if (invert ? n > found : found > 0) anySelected = true;
            } else {
              // (-v is only ever passed over when counting)
              const holds = tailsHolding(parts, m.literal!);
              const first = i + 1;
              for (let k = 0; k < n; k++) {
                if (!holds[k]) continue;
                i = first + k;
                const v = visit(counting || quiet ? '' : parts.line(k).slice(0, -1), true);
                if (v === 'quiet') return 0;
                if (!v) break reading;
              }
              i = first - 1;
            }
            i += n;
            continue;
          }
          const text = chunk.text;
          if (inMemory) ctx.env.work?.(text.length);
          const lines = chunk.newlines + (text !== '' && !text.endsWith('\n') ? 1 : 0);
          if (invert) {
            // -v -c: the lines less those that match, all of which hold the string
            let found = 0;
            for (let at = find(text, 0); at >= 0; ) {
              const start = text.lastIndexOf('\n', at - 1) + 1;
              const nl = text.indexOf('\n', at);
              if (m.exact || m.test(text.slice(start, nl < 0 ? text.length : nl))) found++;
              at = nl < 0 ? -1 : find(text, nl + 1);
            }
            count += lines - found;
            if (lines > found) anySelected = true;
            i += lines;
            continue;
          }
          const first = i + 1;
          // for -n: the lines of the chunk before `counted`
          let counted = 0;
          let linesBefore = 0;
          for (let at = find(text, 0); at >= 0; ) {
            const start = text.lastIndexOf('\n', at - 1) + 1;
            let end = text.indexOf('\n', at);
            if (end < 0) end = text.length;
            // counting lines that hold the very string needs no line cut out
            const line = m.exact && counting ? '' : text.slice(start, end);
            if (m.exact || m.test(line)) {
              if (number) {
                for (let k = text.indexOf('\n', counted); k >= 0 && k < start; k = text.indexOf('\n', k + 1)) linesBefore++;
                counted = start;
              }
              i = first + linesBefore;
              const v = visit(line, true);
              if (v === 'quiet') return 0;
              if (!v) break reading;
            }
            at = end >= text.length ? -1 : find(text, end + 1);
          }
          i = first + lines - 1;
        }
        if (has(p.opts, 'c')) out.out((withName ? `${display}:` : '') + `${count}\n`);
        if (has(p.opts, 'l') && count > 0) out.out(display + '\n');
        if (has(p.opts, 'L') && count === 0) out.out(display + '\n');
      }
      return null;
    };
    try {
      const early = scan();
      if (early !== null) return out.done(early);
    } catch (e) {
      // GNU grep never hangs: a pattern whose back-references would take too long stops here
      if (!(e instanceof RegexTooComplex)) throw e;
      out.errLine(`grep: ${e.message}`);
      return out.done(2);
    }
    if (quiet && anySelected) return out.done(0);
    return out.done(error ? 2 : anySelected ? 0 : 1);
  },
});
