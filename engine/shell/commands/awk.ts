import { failure } from '../io';
import { AwkSyntaxError } from '../awk/lexer';
import { parseAwk, type Item } from '../awk/parser';
import { AwkMachine, AwkRuntimeError } from '../awk/interp';
import { RegexTooComplex } from '../regex';
import { errnoMessage } from '../../vfs/errno';
import { absPath, readOperand } from './util';
import { defineCommand } from './define';

const USAGE =
  "usage: awk [-F value] [-v var=value] [--] 'program text' [file ...]\nusage: awk [-F value] [-v var=value] [-f program-file] [--] [file ...]\n";

/** -F and -v values take the escapes of awk strings */
function unescape(s: string): string {
  return s.replace(/\\(n|t|r|\\|"|\/)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', '/': '/' })[c] ?? c);
}

export const awk = defineCommand({
  name: 'awk',
  summary: 'pick fields out of lines, filter and add them up',
  category: 'text',
  argKind: 'path',
  completions: ['-F', '-v', '-f'],
  synopsis: ["awk [-F SEP] [-v VAR=VALUE]... 'PROGRAM' [FILE]...", 'awk [-F SEP] -f PROGFILE [FILE]...'],
  description: [
    'Reads the FILEs (or standard input) line by line, splits each line into fields $1, $2, ... ($0 is the whole line), and runs PROGRAM on it. A PROGRAM is a list of PATTERN { ACTIONS }: the actions run for each line the pattern holds for. A missing pattern holds for every line; a missing action prints the line. BEGIN { } runs before the first line and END { } after the last.',
    'Fields are separated by runs of blanks (ps and free output split nicely), or by SEP with -F. NR is the number of the current line, NF the number of its fields, so $NF is the last field.',
    'This world\'s awk is a subset of the real one (mawk on Ubuntu). It knows: patterns that are expressions ($3 > 100, NR > 1, $1 == "root", /regex/, $2 ~ /re/, !, &&, ||); print and printf (also > "file"); variables and arrays (a[$1] += $2, for (k in a), delete, in); if/else, while, do, for; next and exit; arithmetic + - * / % ^ and ++ += etc.; string concatenation by juxtaposition; the variables NR NF FNR FS OFS ORS RS FILENAME RSTART RLENGTH SUBSEP ENVIRON; and the functions length substr index split sub gsub match sprintf tolower toupper int sqrt exp log sin cos atan2 rand srand.',
    'It does not know user-defined functions, getline, range patterns (A, B), output pipes (print | "cmd") or system(); it says so when a program uses them.',
  ],
  options: [
    ['-F SEP', 'Split fields at SEP: one character literally (-F:), or an extended regular expression when longer. \\t means a tab.'],
    ['-v VAR=VALUE', 'Set VAR before the program starts.'],
    ['-f PROGFILE', 'Read the program from a file.'],
  ],
  examples: [
    ["ps aux | awk '{print $2, $11}'", 'PID and command of every process.'],
    ["ps aux | awk 'NR > 1 {sum += $6} END {print sum \" kB\"}'", 'Total resident memory of all processes.'],
    ["awk -F: '$3 >= 1000 {print $1}' /etc/passwd", 'Accounts of real people.'],
    ["awk '/^Slab|^SReclaimable/ {print $1, $2/1024 \" MB\"}' /proc/meminfo", 'Slab figures in megabytes.'],
    ["awk '{n[$1]++} END {for (k in n) print n[k], k}' access.log", 'Count lines per first field.'],
  ],
  notes: ['Numbers print as integers when they are whole, otherwise with six significant digits (OFMT %.6g). srand and rand start from a fixed seed, so rand gives the same numbers every run.'],
  run(ctx) {
    const args = ctx.argv.slice(1);
    let fs: string | null = null;
    const assigns: [string, string][] = [];
    let program: string | null = null;
    let i = 0;
    for (; i < args.length; i++) {
      const a = args[i];
      if (a === '--') {
        i++;
        break;
      }
      if (a === '-F' || a === '-v' || a === '-f') {
        if (i + 1 >= args.length) return failure(`awk: option requires an argument -- ${a[1]}\n${USAGE}`, 2);
        const v = args[++i];
        if (a === '-F') fs = v;
        else if (a === '-v') {
          const eq = v.indexOf('=');
          if (eq <= 0) return failure(`awk: improper assignment: -v ${v}\n`, 2);
          assigns.push([v.slice(0, eq), unescape(v.slice(eq + 1))]);
        } else {
          const r = readOperand(ctx, v);
          if (!r.ok) return failure(`awk: couldn't open file ${v}\n`, 2);
          program = r.value;
        }
        continue;
      }
      if (a.startsWith('-F') && a.length > 2) {
        fs = a.slice(2);
        continue;
      }
      if (a.startsWith('-v') && a.length > 2) {
        const v = a.slice(2);
        const eq = v.indexOf('=');
        if (eq <= 0) return failure(`awk: improper assignment: -v ${v}\n`, 2);
        assigns.push([v.slice(0, eq), unescape(v.slice(eq + 1))]);
        continue;
      }
      if (a.startsWith('-') && a !== '-') return failure(`awk: not an option: ${a}\n`, 2);
      break;
    }
    if (program === null) {
      if (i >= args.length) return failure(USAGE, 2);
      program = args[i++];
    }
    const operands = args.slice(i);
    let items: Item[];
    try {
      items = parseAwk(program);
    } catch (e) {
      if (e instanceof AwkSyntaxError) return failure(`awk: line ${e.line}: ${e.message}\n`, 2);
      return failure('awk: program too complex for this world\n', 2);
    }
    const machine = new AwkMachine(
      items,
      {
        writeFile: (path, text, append) => {
          const r = ctx.env.fs.write(absPath(ctx, path), text, ctx.user, { append });
          return r.ok ? null : `cannot open "${path}" for output (${errnoMessage(r.errno)})`;
        },
        work: ctx.env.work,
      },
      ctx.env.vars,
    );
    if (fs !== null) machine.setVar('FS', fs === 't' ? '\t' : unescape(fs));
    for (const [k, v] of assigns) machine.setVar(k, v);
    const inputs: { name: string; text: string }[] = [];
    for (const f of operands.length ? operands : ['-']) {
      if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(f)) {
        // a command-line assignment takes effect before the next file; kept simple: set now
        const eq = f.indexOf('=');
        machine.setVar(f.slice(0, eq), unescape(f.slice(eq + 1)));
        continue;
      }
      const r = readOperand(ctx, f);
      if (!r.ok) return failure(`awk: cannot open ${f} (${errnoMessage(r.errno)})\n`, 2);
      inputs.push({ name: f === '-' ? '' : f, text: r.value });
    }
    if (inputs.length === 0) inputs.push({ name: '', text: ctx.stdin });
    try {
      const r = machine.run(inputs);
      return { stdout: r.out, stderr: '', code: r.code };
    } catch (e) {
      if (e instanceof AwkRuntimeError || e instanceof RegexTooComplex) return failure(`awk: run time error: ${e.message}\n`, 2);
      if (e instanceof RangeError) {
        return failure(/call stack/i.test(e.message) ? 'awk: run time error: program nested too deeply for this world\n' : 'awk: out of memory\n', 2);
      }
      throw e;
    }
  },
});
