import type { CommandContext } from '../types';
import { Out, ok } from '../io';
import { getopt, has, last, type OptDef, type ParsedOpt } from '../getopt';
import { RegexError, RegexTooComplex, anyOf, compileNode, literalNode, nonEmptyMatches, parsePosix, wholeLine, wholeWord } from '../regex';
import { errnoMessage } from '../../vfs/errno';
import { joinPath } from '../../vfs/path';
import { absPath, Gathered, operandLines, readOperand, splitLines } from './util';
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
  { key: 'color', long: 'color', arg: 'none' },
  { key: 'color', long: 'colour', arg: 'none' },
];

interface Matcher {
  /** does the line count as selected (before -v) */
  test(line: string): boolean;
  /** the matched pieces, for -o */
  pieces(line: string): string[];
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
  return {
    test: (line) => re.test(line),
    pieces: (line) => nonEmptyMatches(re, line).map((m) => line.slice(m.index, m.end)),
  };
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
        const r = operandLines(ctx, f);
        if (!r.ok) {
          if (!silent) out.errLine(`grep: ${f}: ${errnoMessage(r.errno)}`);
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
        for (const piece of r.value) {
          i++;
          const line = piece.endsWith('\n') ? piece.slice(0, -1) : piece;
          if (count >= limit) {
            // GNU grep still prints trailing context after the last counted match
            if (afterLeft > 0 && !counting) {
              out.out(prefix(i + 1, '-') + line + '\n');
              lastPrinted = i;
              afterLeft--;
              continue;
            }
            break;
          }
          const selected = m.test(line) !== invert;
          if (!selected) {
            if (afterLeft > 0 && !quiet && !counting && !has(p.opts, 'o')) {
              out.out(prefix(i + 1, '-') + line + '\n');
              lastPrinted = i;
              afterLeft--;
            }
            if (before > 0) {
              recent.push(line);
              if (recent.length > before) recent.shift();
            }
            continue;
          }
          count++;
          anySelected = true;
          if (quiet) return 0;
          if (counting) continue;
          if (before > 0 || after > 0) {
            const start = Math.max(lastPrinted + 1, i - before);
            if (lastPrintedGroup && start > lastPrinted + 1) out.out('--\n');
            for (let j = start; j < i; j++) out.out(prefix(j + 1, '-') + recent[recent.length - (i - j)]! + '\n');
          }
          if (has(p.opts, 'o')) {
            if (!invert) for (const piece of m.pieces(line)) out.out(prefix(i + 1, ':') + piece + '\n');
          } else {
            const text = prefix(i + 1, ':') + line + '\n';
            printed.count(text.length);
            out.out(text);
          }
          lastPrinted = i;
          lastPrintedGroup = true;
          afterLeft = after;
          if (before > 0) {
            recent.push(line);
            if (recent.length > before) recent.shift();
          }
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
