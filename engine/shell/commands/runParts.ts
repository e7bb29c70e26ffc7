import type { BuiltinSpec } from '../builtin';
import type { OutputChunk } from '../io';
import { Out } from '../io';
import { collatorFor } from '../collate';
import { getopt } from '../getopt';
import { compilePosix, RegexError } from '../regex';
import { errnoMessage } from '../../vfs/errno';
import { normalizePath } from '../../vfs/path';
import { defineBuiltin } from './define';

/**
 * run-parts from debianutils 4.4 (trusty): runs the programs in a directory, the way cron runs
 * /etc/cron.hourly and /etc/cron.daily. It is a program, but it starts the scripts it finds, so
 * it needs the shell that runs it.
 */

const TRY = "Try `run-parts --help' for more information.\n";

const USAGE = `Usage: run-parts [OPTION]... DIRECTORY
      --test          print script names which would run, but don't run them.
      --list          print names of all valid files (can not be used with
                      --test)
  -v, --verbose       print script names before running them.
      --report        print script names if they produce output.
      --reverse       reverse execution order of scripts.
      --exit-on-error exit as soon as a script returns with a non-zero exit
                      code.
      --lsbsysinit    validate filenames based on LSB sysinit specs.
      --new-session   run each script in a separate process session
      --regex=PATTERN validate filenames based on POSIX ERE pattern PATTERN.
  -u, --umask=UMASK   sets umask to UMASK (octal), default is 022.
  -a, --arg=ARGUMENT  pass ARGUMENT to scripts, use once for each argument.
  -V, --version       output version information and exit.
  -h, --help          display this help and exit.
`;

const VERSION = `Debian run-parts program, version 4.4
Copyright (C) 1994 Ian Jackson, Copyright (C) 1996 Jeff Noxon.
Copyright (C) 1996,1997,1998,1999 Guy Maor
Copyright (C) 2002, 2003, 2004, 2005, 2006, 2007 Clint Adams
This is free software; see the GNU General Public License version 2
or later for copying conditions.  There is NO warranty.
`;

const OPTIONS = [
  { key: 'test', long: 'test' },
  { key: 'list', long: 'list' },
  { key: 'verbose', short: 'v', long: 'verbose' },
  { key: 'report', long: 'report' },
  { key: 'reverse', long: 'reverse' },
  { key: 'umask', short: 'u', long: 'umask', arg: 'required' as const },
  { key: 'arg', short: 'a', long: 'arg', arg: 'required' as const },
  { key: 'help', short: 'h', long: 'help' },
  { key: 'version', short: 'V', long: 'version' },
  { key: 'lsbsysinit', long: 'lsbsysinit' },
  { key: 'regex', long: 'regex', arg: 'required' as const },
  { key: 'exit-on-error', long: 'exit-on-error' },
  { key: 'new-session', long: 'new-session' },
];

/** Debian's default: letters, digits, _ and -; no dots, so foo.dpkg-old and README are skipped */
const CLASSICAL = /^[a-zA-Z0-9_-]+$/;
const LSB_HIER = /^_?([a-z0-9_.]+-)+[a-z0-9]+$/;
const LSB_EXCLUDED = /^[a-z0-9-].*dpkg-(old|dist|new|tmp)$/;
const LSB_TRAD = /^[a-z0-9][a-z0-9-]*$/;

interface AccessFs {
  canAccess?(path: string, user: string, want: 'r' | 'w' | 'x'): boolean;
}

export const runParts: BuiltinSpec = {
  ...defineBuiltin({
    name: 'run-parts',
    summary: 'run the scripts in a directory, one after another',
    category: 'shell',
    argKind: 'path',
    completions: ['--test', '--list', '--report', '--verbose', '--reverse', '--exit-on-error', '--regex=', '--arg=', '--umask='],
    synopsis: ['run-parts [--test|--list] [--report] [-v] [--regex=RE] [-a ARG]... [-u UMASK] DIRECTORY'],
    description: [
      'Runs every executable file in DIRECTORY, one at a time, in the order of their names. cron uses it for /etc/cron.hourly, /etc/cron.daily and so on, so dropping a script there is how a job gets scheduled.',
      'Only names made of letters, digits, underscores and hyphens count: a file with a dot in its name (backup.sh, foo.dpkg-old) is silently skipped. --list shows which names count; --test shows which would run, without running them.',
      'A script that fails is reported as "run-parts: FILE exited with return code N", and run-parts then exits with status 1 once all have run.',
    ],
    options: [
      ['--test', 'Print the scripts that would run, and run nothing.'],
      ['--list', 'Print every file whose name counts, executable or not.'],
      ['--report', "Print a script's name before the first thing it prints (cron mails that output)."],
      ['-v, --verbose', 'Say "run-parts: executing FILE" before each script.'],
      ['--regex=RE', "Count the names that match the extended regular expression RE instead of Debian's default."],
      ['-a, --arg=ARG', 'Pass ARG to every script; repeat for more arguments.'],
      ['--reverse, --exit-on-error', 'Run in reverse order; stop at the first script that fails.'],
    ],
    examples: [
      ['run-parts --test /etc/cron.daily', "What cron will run at 06:25 each morning."],
      ['sudo run-parts --report /etc/cron.hourly', 'Run the hourly jobs now, as cron would.'],
    ],
    notes: ['-u UMASK is checked but has no effect here: the files a script creates get their usual modes.', '--new-session makes no difference in this world: scripts have no terminal to leave.'],
    builtin(ctx, sh) {
      const parsed = getopt('run-parts', ctx.argv.slice(1), OPTIONS);
      const out = new Out();
      const set = new Set<string>();
      const scriptArgs: string[] = [];
      let ere: string | null = null;
      for (const o of parsed.opts) {
        if (o.key === 'help') return out.err(USAGE).done(0);
        if (o.key === 'version') return out.err(VERSION).done(0);
        if (o.key === 'umask') {
          const m = /^\s*[+-]?([0-7]+)/.exec(o.value ?? '');
          if (!m || parseInt(m[1], 8) > 0o7777) return out.errLine('run-parts: bad umask value').done(1);
        }
        if (o.key === 'arg') scriptArgs.push(o.value ?? '');
        if (o.key === 'regex') ere = o.value ?? '';
        set.add(o.key);
      }
      if (parsed.error !== undefined) return out.errLine(parsed.error).err(TRY).done(1);
      if (parsed.operands.length !== 1) return out.errLine('run-parts: missing operand').err(TRY).done(1);
      if (set.has('list') && set.has('test')) return out.errLine('run-parts: --list and --test can not be used together').err(TRY).done(1);

      let valid: (name: string) => boolean = (n) => CLASSICAL.test(n);
      // the last of --regex and --lsbsysinit wins, as both set the same mode in run-parts.c
      const mode = [...parsed.opts].reverse().find((o) => o.key === 'regex' || o.key === 'lsbsysinit')?.key;
      if (mode === 'lsbsysinit') valid = (n) => (LSB_HIER.test(n) ? !LSB_EXCLUDED.test(n) : LSB_TRAD.test(n));
      else if (mode === 'regex' && ere !== null) {
        try {
          const re = compilePosix(ere, { extended: true, work: ctx.env.work });
          valid = (n) => re.test(n);
        } catch (e) {
          if (e instanceof RegexError) return out.err(`Unable to build regexp: ${e.message}`).done(1);
          throw e;
        }
      }

      const dirname = parsed.operands[0];
      const dir = normalizePath(dirname, ctx.cwd);
      const listing = ctx.env.fs.list(dir, ctx.user);
      if (!listing.ok) return out.errLine(`run-parts: failed to open directory ${dirname}: ${errnoMessage(listing.errno)}`).done(1);
      const names = listing.value.filter(valid).sort(collatorFor(sh.environment()));
      if (set.has('reverse')) names.reverse();

      const fs = ctx.env.fs as unknown as AccessFs;
      const may = (path: string, want: 'r' | 'x') => (fs.canAccess ? fs.canAccess(path, ctx.user, want) : true);
      let status = 0;
      for (const name of names) {
        // run-parts.c joins DIRECTORY as given with the name: run-parts ./d prints ./d/x
        const filename = `${dirname}/${name}`;
        const path = normalizePath(name, dir);
        const st = ctx.env.fs.stat(path);
        if (!st.ok) {
          out.errLine(`run-parts: failed to stat component ${filename}: ${errnoMessage(st.errno)}`);
          if (set.has('exit-on-error')) return out.done(1);
          continue;
        }
        if (st.value.type === 'dir') continue;
        if (!may(path, 'x')) {
          if (set.has('list') && may(path, 'r')) out.out(`${filename}\n`);
          continue;
        }
        if (set.has('test')) {
          out.out(`${filename}\n`);
          continue;
        }
        if (set.has('list')) {
          if (may(path, 'r')) out.out(`${filename}\n`);
          continue;
        }
        if (set.has('verbose')) out.errLine(`run-parts: executing ${[filename, ...scriptArgs].join(' ')}`);
        const code = runOne(filename, path, scriptArgs, set.has('report'), out, ctx, sh);
        if (code !== 0) {
          out.errLine(`run-parts: ${filename} exited with return code ${code}`);
          status = 1;
          if (set.has('exit-on-error')) break;
        }
      }
      return out.done(status);
    },
  }),
  path: '/bin/run-parts',
};

/** One script, as execv runs it: it needs a #! line; its output, under --report, after its name. */
function runOne(
  filename: string,
  path: string,
  args: string[],
  report: boolean,
  out: Out,
  ctx: Parameters<BuiltinSpec['builtin']>[0],
  sh: Parameters<BuiltinSpec['builtin']>[1],
): number {
  const text = ctx.env.fs.read(path, ctx.user);
  if (!text.ok || !text.value.startsWith('#!')) {
    // the kernel will not exec a file without #! (ENOEXEC); the forked run-parts says so and exits 1
    out.errLine(`run-parts: failed to exec ${filename}: ${text.ok ? 'Exec format error' : errnoMessage(text.errno)}`);
    return 1;
  }
  const r = sh.runArgv([filename, ...args], ctx.user, ctx.stdin);
  const chunks: OutputChunk[] = r.output ?? [
    { stream: 'stdout', text: r.stdout },
    { stream: 'stderr', text: r.stderr },
  ];
  let named = false;
  for (const c of chunks) {
    if (c.text === '') continue;
    if (report && !named) {
      // the name goes to whichever stream the script wrote to first
      if (c.stream === 'stdout') out.out(`${filename}:\n`);
      else out.err(`${filename}:\n`);
      named = true;
    }
    if (c.stream === 'stdout') out.out(c.text);
    else out.err(c.text);
  }
  return r.code;
}
