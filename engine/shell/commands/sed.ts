import { Out } from '../io';
import { getopt, type OptDef } from '../getopt';
import { RegexTooComplex } from '../regex';
import { LIMITS } from '../limits';
import { defineCommand } from './define';
import { Compiler, SedError, type CompileOptions } from './sed/script';
import { SedRunner } from './sed/run';
import { SedHost } from './sed/host';
import { VERSION_TEXT, usageText } from './sed/text';

/** sed.c's options (SHORTOPTS "bsnrzuEe:f:l:i::V:" and its long ones; --follow-symlinks as Ubuntu builds it) */
const OPTS: OptDef[] = [
  { key: 'b', short: 'b', long: 'binary' },
  { key: 'r', short: 'r', long: 'regexp-extended' },
  { key: 'r', short: 'E' },
  { key: 'e', short: 'e', long: 'expression', arg: 'required' },
  { key: 'f', short: 'f', long: 'file', arg: 'required' },
  { key: 'i', short: 'i', long: 'in-place', arg: 'optional' },
  { key: 'l', short: 'l', long: 'line-length', arg: 'required' },
  { key: 'z', short: 'z', long: 'null-data' },
  { key: 'z', long: 'zero-terminated' },
  { key: 'n', short: 'n', long: 'quiet' },
  { key: 'n', long: 'silent' },
  { key: 'p', long: 'posix' },
  { key: 's', short: 's', long: 'separate' },
  { key: 'u', short: 'u', long: 'unbuffered' },
  { key: 'v', long: 'version' },
  { key: 'h', long: 'help' },
  { key: 'F', long: 'follow-symlinks' },
  { key: 'V', short: 'V', arg: 'required' },
];

/** what one line's sed may hold in its pattern or hold space (GNU grows them until memory runs out) */
const MAX_SPACE = 16_000_000;

export const sed = defineCommand({
  name: 'sed',
  summary: 'stream editor: filter and transform text, or edit files in place',
  category: 'text',
  argKind: 'path',
  completions: ['-n', '-e', '-f', '-i', '-r', '-E', '-s', '-z', '--in-place', '--expression', '--quiet', '--help', '--version'],
  synopsis: ['sed [OPTION]... SCRIPT [FILE]...', 'sed [OPTION]... -e SCRIPT... [-f SCRIPT-FILE]... [FILE]...'],
  description: [
    'Reads each FILE (standard input when there is none, or for -) a line at a time into the pattern space, runs the SCRIPT on it, and prints the result. With -i the result replaces the file instead.',
    'A script is commands separated by ; or newlines, each optionally preceded by an address: N (line N), $ (the last line), /REGEX/ (lines matching it), FIRST~STEP, or a range ADDR1,ADDR2 (0,/REGEX/ ends at the first match even on line 1). ! after the address inverts it; { } group commands.',
    "Commands: s/REGEX/REPLACEMENT/FLAGS substitutes (flags g for every match, N for the Nth, p to print, I to ignore case, w FILE to write); in the replacement & is the match, \\1 to \\9 the groups, \\n a newline, \\U \\L \\u \\l \\E change case. d deletes the line, p prints it, = prints its number, q quits (q5 with status 5), y/abc/xyz/ maps characters. a TEXT, i TEXT and c TEXT append, insert, or change to TEXT (also written a\\ with TEXT on the next line). n N D P h H g G x b t T : l r R w W z F work as in GNU sed.",
    'Regular expressions are basic ones (write \\( \\) \\{ \\} \\+ \\? \\|) unless -r or -E makes them extended. The exit status is 0, 1 for an invalid script, 2 when an input file could not be read, 4 for an I/O error at run time (such as a file that cannot be edited in place).',
  ],
  options: [
    ['-n', 'Print nothing unless the script asks (p, or the p flag of s).'],
    ['-e SCRIPT', 'Add SCRIPT to the commands; may be given several times.'],
    ['-f FILE', 'Add the commands in FILE.'],
    ['-i[SUFFIX]', 'Edit the files in place, keeping a backup named with SUFFIX if one is given (a * in it stands for the file name). sed writes a temporary file in the file\'s directory and puts it in the file\'s place, so it needs write permission on the directory.'],
    ['-r, -E', 'Use extended regular expressions.'],
    ['-s', 'Treat the files as separate: line numbers and $ start again in each.'],
    ['-z', 'Lines end with a NUL character instead of a newline.'],
    ['-l N', 'Wrap the output of l at N characters.'],
  ],
  examples: [
    ["sed -n '/error/p' /var/log/syslog", 'Print only the lines that match, like grep.'],
    ["sed 's/ *#.*//' /etc/sysctl.conf", 'The file without its comments.'],
    ["sudo sed -i 's/^vm.swappiness=.*/vm.swappiness=10/' /etc/sysctl.conf", 'Change one setting in a root-owned file.'],
    ["sed -i.bak '/^exit 0/i echo started' /etc/rc.local", 'Insert a line before another, keeping a copy of the original as /etc/rc.local.bak.'],
  ],
  notes: [
    "Regular expressions are matched in bounded time (as grep's are): a pattern with back-references that would take too long stops sed with \"pattern too complex\". The e command, the e flag of s, the L command and the M (multi-line) modifier are not simulated. Which text a group captures when a pattern could match several ways may differ from GNU's in rare cases, and \\w, \\b, \\< and \\> count only ASCII letters, digits and _ as word characters. The pattern and hold spaces hold at most 16 million characters each. -u, -b and --follow-symlinks are accepted and change nothing here.",
  ],
  run(ctx) {
    const out = new Out();
    const p = getopt('sed', ctx.argv.slice(1), OPTS);
    const host = new SedHost(ctx, out, { inPlace: null, delimiter: '\n' });
    const copts: CompileOptions = { extended: false, posix: 'extended', openWrite: (name) => host.openWrite(name), work: ctx.env.work };
    const compiler = new Compiler(copts);
    let haveProgram = false;
    let quiet = false;
    let separate = false;
    let inPlace: string | null = null;
    let delimiter = '\n';
    let lineLength = 70;
    const usage = () => {
      out.err(usageText(false));
      return out.done(4);
    };
    try {
      for (const o of p.opts) {
        switch (o.key) {
          case 'n':
            quiet = true;
            break;
          case 'e':
            compiler.addString(o.value ?? '');
            haveProgram = true;
            break;
          case 'f':
            compiler.addFile(o.value ?? '', host.readScript(o.value ?? ''));
            haveProgram = true;
            break;
          case 'z':
            delimiter = '\0';
            break;
          case 'i': {
            separate = true;
            const v = o.value;
            inPlace = v === undefined ? '*' : v.includes('*') ? v : '*' + v;
            break;
          }
          case 'l':
            lineLength = atoi(o.value ?? '');
            break;
          case 'p':
            copts.posix = 'basic';
            break;
          case 'r':
            if (copts.extended) return usage();
            copts.extended = true;
            break;
          case 's':
            separate = true;
            break;
          case 'v':
            out.out(VERSION_TEXT);
            return out.done(0);
          case 'h':
            out.out(usageText(true));
            return out.done(0);
          case 'V':
            return usage();
          default:
            break;
        }
      }
      if (p.error !== undefined) {
        out.errLine(p.error);
        return usage();
      }
      const operands = [...p.operands];
      if (!haveProgram) {
        if (operands.length === 0) return usage();
        compiler.addString(operands.shift()!);
      }
      const program = compiler.finish();
      if (operands.length === 0 && inPlace !== null) throw new SedError('no input files', 4);
      // options come in any order; the host reads files only once they are all known
      host.configure({ inPlace, delimiter });
      const runner = new SedRunner(program, host, {
        quiet,
        separate,
        inPlace: inPlace !== null,
        delimiter,
        lineLength,
        posixExtended: copts.posix === 'extended',
        maxSpace: Math.min(MAX_SPACE, LIMITS.output),
      }, operands.length ? operands : ['-']);
      try {
        return out.done(runner.run());
      } finally {
        host.flushWriteFiles();
      }
    } catch (e) {
      if (e instanceof SedError) {
        out.errLine(`sed: ${e.message}`);
        return out.done(e.code);
      }
      // GNU sed never gives up on a pattern; this world's matcher does rather than hang
      if (e instanceof RegexTooComplex) {
        out.errLine(`sed: ${e.message}`);
        return out.done(4);
      }
      throw e;
    }
  },
});

/** atoi: leading digits (after blanks and a sign), 0 without any */
function atoi(s: string): number {
  const m = /^\s*([+-]?\d+)/.exec(s);
  return m ? Number(m[1]) : 0;
}
