import { ok } from '../io';
import { defineCommand } from './define';

/** bash's echo -e escapes; \c stops all further output */
export function echoEscapes(s: string): { text: string; stop: boolean } {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\' || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const n = s[++i];
    switch (n) {
      case 'a':
        out += '\x07';
        break;
      case 'b':
        out += '\b';
        break;
      case 'c':
        return { text: out, stop: true };
      case 'e':
      case 'E':
        out += '\x1b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case '\\':
        out += '\\';
        break;
      case '0': {
        const m = /^[0-7]{0,3}/.exec(s.slice(i + 1))![0];
        out += String.fromCharCode(parseInt(m || '0', 8));
        i += m.length;
        break;
      }
      case 'x': {
        const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 1));
        if (m) {
          out += String.fromCharCode(parseInt(m[0], 16));
          i += m[0].length;
        } else out += '\\x';
        break;
      }
      default:
        out += '\\' + n;
    }
  }
  return { text: out, stop: false };
}

export const echo = defineCommand({
  name: 'echo',
  summary: 'print its arguments',
  category: 'text',
  completions: ['-n', '-e', '-E'],
  synopsis: ['echo [-neE] [STRING]...'],
  description: [
    'Prints the STRINGs separated by single spaces, then a newline. The shell has already removed quotes and expanded variables by the time echo sees its arguments.',
    'echo takes no -- and no long options: a leading argument made only of the letters n, e and E is read as options, anything else is printed.',
  ],
  options: [
    ['-n', 'Do not print the final newline.'],
    ['-e', 'Interpret backslash escapes: \\n newline, \\t tab, \\\\ backslash, \\a bell, \\b backspace, \\e escape, \\f, \\r, \\v, \\0NNN octal, \\xHH hex, and \\c to stop printing altogether.'],
    ['-E', 'Do not interpret escapes (the default).'],
  ],
  examples: [
    ['echo 3 | sudo tee /proc/sys/vm/drop_caches', 'Feed the text 3 to a command.'],
    ['echo -e "a\\tb"', 'Print a and b separated by a tab.'],
  ],
  run(ctx) {
    const args = ctx.argv.slice(1);
    let newline = true;
    let escapes = false;
    let i = 0;
    for (; i < args.length; i++) {
      if (!/^-[neE]+$/.test(args[i])) break;
      for (const f of args[i].slice(1)) {
        if (f === 'n') newline = false;
        else if (f === 'e') escapes = true;
        else escapes = false;
      }
    }
    let text = args.slice(i).join(' ');
    if (escapes) {
      const r = echoEscapes(text);
      if (r.stop) return ok(r.text);
      text = r.text;
    }
    return ok(newline ? text + '\n' : text);
  },
});
