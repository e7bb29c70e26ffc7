/**
 * sed 4.2.2's treatment of backslash escapes in script text (compile.c, normalize_text), and the
 * words of its --help and --version (sed.c, gnulib's version_etc).
 */

export type TextKind = 'buffer' | 'regex' | 'replacement';

/**
 * The first character of `buf` (a letter: d, o or x) followed by up to as many digits in `base`
 * as make a byte, as convert_number reads them: the character they make, and where they end.
 * Without digits the letter stands for itself.
 */
function convertNumber(buf: string, at: number, base: number): { ch: string; next: number } {
  let n = 0;
  let max = 1;
  let p = at + 1;
  for (; p < buf.length && max <= 255; ++p, max *= base) {
    const d = parseInt(buf[p]!, 16);
    if (Number.isNaN(d) || d >= base) break;
    n = n * base + d;
  }
  return { ch: p === at + 1 ? buf[at]! : String.fromCharCode(n), next: p };
}

/**
 * \a \f \n \r \t \v, \dNNN \oNNN \xHH and \cX become the characters they name. Any other escape
 * keeps its backslash for the regex or replacement to read ("passed up one level"), except in
 * plain text (a, i, c and y), where the backslash is dropped. In a regex, bracket expressions are
 * left alone only under --posix (`posix`), as in sed 4.2.2.
 */
export function normalizeText(buf: string, kind: TextKind, posix = false): string {
  let out = '';
  let bracket: 0 | -1 | string = 0;
  let p = 0;
  while (p < buf.length) {
    const c = buf[p]!;
    if (c === '\\' && p + 1 < buf.length && bracket === 0) {
      const e = buf[++p]!;
      const simple: Record<string, string> = { a: '\x07', f: '\f', '\n': '\n', n: '\n', r: '\r', t: '\t', v: '\v' };
      if (simple[e] !== undefined) {
        out += simple[e];
        p++;
        continue;
      }
      const base = e === 'd' ? 10 : e === 'x' ? 16 : e === 'o' ? 8 : 0;
      if (base) {
        const { ch, next } = convertNumber(buf, p, base);
        // a & made this way is a plain ampersand in a replacement
        if (kind === 'replacement' && ch === '&') out += '\\';
        out += ch;
        p = next;
        continue;
      }
      if (e === 'c') {
        if (++p < buf.length) {
          out += String.fromCharCode(buf[p]!.toUpperCase().charCodeAt(0) ^ 0x40);
          p++;
        } else if (kind !== 'buffer') out += '\\';
        continue;
      }
      if (kind !== 'buffer') out += '\\';
      out += buf[p]!;
      p++;
      continue;
    }
    if (kind === 'regex' && posix) {
      if (c === '[') {
        if (bracket === 0) bracket = -1;
      } else if (c === ':' || c === '.' || c === '=') {
        if (bracket === -1 && buf[p - 1] === '[') bracket = c;
      } else if (c === ']') {
        if (bracket === -1) bracket = 0;
        else if (bracket !== 0 && buf[p - 2] !== bracket && buf[p - 1] === bracket) bracket = -1;
      }
    }
    out += c;
    p++;
  }
  return out;
}

const HOME = 'GNU sed home page: <http://www.gnu.org/software/sed/>.\nGeneral help using GNU software: <http://www.gnu.org/gethelp/>.\n';
const BUGS = "E-mail bug reports to: <bug-sed@gnu.org>.\nBe sure to include the word ``sed'' somewhere in the ``Subject:'' field.\n";

/** usage(): to stdout for --help (with the bug address), to stderr with status 4 otherwise */
export function usageText(forHelp: boolean): string {
  return (
    'Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n\n' +
    '  -n, --quiet, --silent\n                 suppress automatic printing of pattern space\n' +
    '  -e script, --expression=script\n                 add the script to the commands to be executed\n' +
    '  -f script-file, --file=script-file\n                 add the contents of script-file to the commands to be executed\n' +
    '  --follow-symlinks\n                 follow symlinks when processing in place\n' +
    '  -i[SUFFIX], --in-place[=SUFFIX]\n                 edit files in place (makes backup if SUFFIX supplied)\n' +
    "  -l N, --line-length=N\n                 specify the desired line-wrap length for the `l' command\n" +
    '  --posix\n                 disable all GNU extensions.\n' +
    '  -r, --regexp-extended\n                 use extended regular expressions in the script.\n' +
    '  -s, --separate\n                 consider files as separate rather than as a single continuous\n                 long stream.\n' +
    '  -u, --unbuffered\n                 load minimal amounts of data from the input files and flush\n                 the output buffers more often\n' +
    '  -z, --null-data\n                 separate lines by NUL characters\n' +
    '      --help     display this help and exit\n' +
    '      --version  output version information and exit\n' +
    '\nIf no -e, --expression, -f, or --file option is given, then the first\n' +
    'non-option argument is taken as the sed script to interpret.  All\n' +
    'remaining arguments are names of input files; if no input files are\n' +
    'specified, then the standard input is read.\n\n' +
    HOME +
    (forHelp ? BUGS : '')
  );
}

export const VERSION_TEXT =
  'sed (GNU sed) 4.2.2\n' +
  'Copyright (C) 2012 Free Software Foundation, Inc.\n' +
  'License GPLv3+: GNU GPL version 3 or later <http://gnu.org/licenses/gpl.html>.\n' +
  'This is free software: you are free to change and redistribute it.\n' +
  'There is NO WARRANTY, to the extent permitted by law.\n' +
  '\n' +
  'Written by Jay Fenlason, Tom Lord, Ken Pizzini,\n' +
  'and Paolo Bonzini.\n' +
  HOME +
  BUGS;
