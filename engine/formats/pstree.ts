/**
 * pstree from psmisc 22.20 (src/pstree.c): the process tree from init, identical subtrees
 * folded into N*[...], threads as {name}; -p pids, -a command lines, -c no folding, -n by pid,
 * -u uid changes, -A/-U line drawing, -l no truncation.
 */

export interface PstreeProc {
  pid: number;
  ppid: number;
  uid: number;
  /** the 15-character name */
  comm: string;
  /** argv words; null for a kernel thread (no command line: in parentheses with -a) */
  argv: string[] | null;
  /** thread ids beyond the main thread */
  tids: number[];
}

export interface PstreeOptions {
  args: boolean;
  compact: boolean;
  pids: boolean;
  byPid: boolean;
  userChange: boolean;
  trunc: boolean;
  utf: boolean;
  width: number;
  /** the tree of this pid (1 by default) */
  root: number;
  /** only the trees of this user's processes */
  user: string | null;
}

interface Sym {
  empty2: string;
  branch2: string;
  vert2: string;
  last2: string;
  single3: string;
  first3: string;
}

const ASCII: Sym = { empty2: '  ', branch2: '|-', vert2: '| ', last2: '`-', single3: '---', first3: '-+-' };
const UTF: Sym = { empty2: '  ', branch2: '├─', vert2: '│ ', last2: '└─', single3: '───', first3: '─┬─' };

interface Node {
  comm: string;
  pid: number;
  uid: number;
  /** -1: no command line (set_args with size 0) */
  argc: number;
  argv: string[];
  thread: boolean;
  children: Node[];
}

type Parsed = { ok: true; options: PstreeOptions } | { ok: false; stdout: string; stderr: string; code: number };

const USAGE =
  'Usage: pstree [ -a ] [ -c ] [ -h | -H PID ] [ -l ] [ -n ] [ -p ] [ -g ] [ -u ]\n' +
  '              [ -A | -G | -U ] [ PID | USER ]\n' +
  '       pstree -V\n' +
  'Display a tree of processes.\n\n' +
  '  -a, --arguments     show command line arguments\n' +
  '  -A, --ascii         use ASCII line drawing characters\n' +
  "  -c, --compact       don't compact identical subtrees\n" +
  '  -h, --highlight-all highlight current process and its ancestors\n' +
  '  -H PID,\n' +
  '  --highlight-pid=PID highlight this process and its ancestors\n' +
  '  -g, --show-pgids    show process group ids; implies -c\n' +
  "  -G, --vt100         use VT100 line drawing characters\n" +
  "  -l, --long          don't truncate long lines\n" +
  '  -n, --numeric-sort  sort output by PID\n' +
  '  -N type,\n' +
  '  --ns-sort=type      sort by namespace type (ipc, mnt, net, pid, user, uts)\n' +
  '  -p, --show-pids     show PIDs; implies -c\n' +
  '  -s, --show-parents  show parents of the selected process\n' +
  '  -S, --ns-changes    show namespace transitions\n' +
  '  -u, --uid-changes   show uid transitions\n' +
  '  -U, --unicode       use UTF-8 (Unicode) line drawing characters\n' +
  '  -V, --version       display version information\n' +
  '  PID    start at this PID; default is 1 (init)\n' +
  '  USER   show only trees rooted at processes of this user\n\n';

export function parsePstreeArgs(argv: readonly string[], users: Record<string, number>): Parsed {
  // the player's terminal is a UTF-8 tty; its width is not known, so pstree's own default applies
  const o: PstreeOptions = { args: false, compact: true, pids: false, byPid: false, userChange: false, trunc: true, utf: true, width: 132, root: 1, user: null };
  const longs: Record<string, string> = { arguments: 'a', ascii: 'A', compact: 'c', long: 'l', 'numeric-sort': 'n', 'show-pids': 'p', 'uid-changes': 'u', unicode: 'U', version: 'V', vt100: 'G' };
  const operands: string[] = [];
  const usage = (): Parsed => ({ ok: false, stdout: '', stderr: USAGE, code: 1 });
  for (const a of argv) {
    let letters: string;
    if (a.startsWith('--')) {
      const key = Object.keys(longs).find((k) => k === a.slice(2)) ?? Object.keys(longs).filter((k) => k.startsWith(a.slice(2)))[0];
      if (!key || a.length === 2) return { ok: false, stdout: '', stderr: `pstree: unrecognized option '${a}'\n${USAGE}`, code: 1 };
      letters = longs[key]!;
    } else if (a.startsWith('-') && a.length > 1) letters = a.slice(1);
    else {
      operands.push(a);
      continue;
    }
    for (const ch of letters) {
      if (ch === 'a') o.args = true;
      else if (ch === 'A') o.utf = false;
      else if (ch === 'c') o.compact = false;
      else if (ch === 'G') o.utf = false;
      else if (ch === 'l') o.trunc = false;
      else if (ch === 'n') o.byPid = true;
      else if (ch === 'p') {
        o.pids = true;
        o.compact = false;
      } else if (ch === 'u') o.userChange = true;
      else if (ch === 'U') o.utf = true;
      else if (ch === 'V') return { ok: false, stdout: '', stderr: 'pstree (PSmisc) 22.20\nCopyright (C) 1993-2009 Werner Almesberger and Craig Small\n\nPSmisc comes with ABSOLUTELY NO WARRANTY.\nThis is free software, and you are welcome to redistribute it under\nthe terms of the GNU General Public License.\nFor more information about these matters, see the files named COPYING.\n', code: 0 };
      else return { ok: false, stdout: '', stderr: `pstree: invalid option -- '${ch}'\n${USAGE}`, code: 1 };
    }
  }
  if (operands.length > 1) return usage();
  if (operands.length === 1) {
    const x = operands[0]!;
    if (/^\d/.test(x)) {
      const pid = parseInt(x, 10);
      if (!pid) return usage();
      o.root = pid;
    } else if (users[x] === undefined) return { ok: false, stdout: '', stderr: `No such user name: ${x}\n`, code: 1 };
    else o.user = x;
  }
  return { ok: true, options: o };
}

/** read_proc() and add_proc(): every process under its parent, children sorted by name then uid (or by pid) */
function buildTree(procs: readonly PstreeProc[], o: PstreeOptions): Map<number, Node> {
  const nodes = new Map<number, Node>();
  const get = (pid: number, comm: string): Node => {
    let n = nodes.get(pid);
    if (!n) {
      n = { comm, pid, uid: 0, argc: 0, argv: [], thread: false, children: [] };
      nodes.set(pid, n);
    }
    return n;
  };
  const addChild = (parent: Node, child: Node): void => {
    let i = 0;
    for (; i < parent.children.length; i++) {
      const c = parent.children[i]!;
      if (o.byPid) {
        if (c.pid > child.pid) break;
      } else if (c.comm > child.comm) break;
      else if (c.comm === child.comm && c.uid > child.uid) break;
    }
    parent.children.splice(i, 0, child);
  };
  const add = (comm: string, pid: number, ppid: number, uid: number, argv: string[] | null, thread: boolean): void => {
    const n = get(pid, comm);
    n.comm = comm;
    n.uid = uid;
    n.thread = thread;
    // set_args() on what read_proc() read: the words after argv[0], and the empty word the NUL
    // pstree appends after the kernel's own makes (so the last word is printed after a space too)
    if (argv === null) n.argc = -1;
    else if (thread) n.argc = 0;
    else {
      n.argv = [...argv.slice(1), ''];
      n.argc = n.argv.length;
    }
    const parent = get(pid === ppid ? 0 : ppid, '?');
    addChild(parent, n);
  };
  for (const p of [...procs].sort((a, b) => a.pid - b.pid)) {
    add(p.comm, p.pid, p.ppid, p.uid, p.argv, false);
    const name = `{${p.comm}}`;
    for (const tid of p.tids) add(name, tid, p.pid, p.uid, [name], true);
  }
  return nodes;
}

function treeEqual(a: Node, b: Node, o: PstreeOptions): boolean {
  if (a.comm !== b.comm) return false;
  if (o.userChange && a.uid !== b.uid) return false;
  if (a.children.length !== b.children.length) return false;
  return a.children.every((c, i) => treeEqual(c, b.children[i]!, o));
}

function utf8Bytes(ch: string): number[] {
  const cp = ch.codePointAt(0)!;
  if (cp < 0x80) return [cp];
  if (cp < 0x800) return [0xc0 | (cp >> 6), 0x80 | (cp & 63)];
  if (cp < 0x10000) return [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
  return [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
}

/** escape as out_args() does: backslashes doubled, non-printables in octal */
function escapeArg(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    if (ch === '\\') out += '\\\\';
    else if (code >= 32 && code <= 126) out += ch;
    else for (const b of utf8Bytes(ch)) out += `\\${b.toString(8).padStart(3, '0')}`;
  }
  return out;
}

export function formatPstree(procs: readonly PstreeProc[], users: Record<string, number>, o: PstreeOptions): { stdout: string; stderr: string; code: number } {
  const sym = o.utf ? UTF : ASCII;
  const nodes = buildTree(procs, o);
  const names = new Map(Object.entries(users).map(([n, u]) => [u, n]));
  let out = '';
  let curX = 1;
  const width: number[] = [];
  const more: boolean[] = [];
  const outChar = (c: string): void => {
    curX++;
    if (!o.trunc || curX <= o.width) out += c;
    else if (curX === o.width + 1) out += '+';
  };
  const outString = (s: string): void => {
    for (const c of s) outChar(c);
  };
  const outInt = (x: number): number => {
    outString(String(x));
    return String(x).length;
  };
  const newline = (): void => {
    out += '\n';
    curX = 1;
  };
  const dump = (current: Node, level: number, rep: number, leaf: boolean, last: boolean, prevUid: number, closingIn: number): void => {
    let closing = closingIn;
    if (!leaf) {
      for (let lvl = 0; lvl < level; lvl++) {
        for (let i = width[lvl]! + 1; i; i--) outChar(' ');
        outString(lvl === level - 1 ? (last ? sym.last2 : sym.branch2) : more[lvl + 1] ? sym.vert2 : sym.empty2);
      }
    }
    let add = 0;
    if (rep >= 2) {
      add = outInt(rep) + 2;
      outString('*[');
    }
    const swapped = o.args;
    let info = o.args;
    if (swapped && current.argc < 0) outChar('(');
    const before = curX;
    outString(escapeArg(current.comm));
    const commLen = curX - before;
    const offset = curX;
    if (o.pids) {
      outChar(info ? ',' : '(');
      info = true;
      outInt(current.pid);
    }
    if (o.userChange && prevUid !== current.uid) {
      outChar(info ? ',' : '(');
      info = true;
      outString(names.get(current.uid) ?? String(current.uid));
    }
    if ((swapped && o.args && current.argc < 0) || (!swapped && info)) outChar(')');
    if (o.args) {
      for (let i = 0; i < current.argc; i++) {
        if (i < current.argc - 1) outChar(' ');
        const arg = current.argv[i]!;
        const len = [...arg].reduce((n, ch) => n + (ch >= ' ' && ch <= '~' ? 1 : 4), 0);
        if (curX + len <= o.width - (i === current.argc - 1 ? 0 : 4) || !o.trunc) outString(escapeArg(arg));
        else {
          outString('...');
          break;
        }
      }
    }
    if (o.args || current.children.length === 0) {
      while (closing-- > 0) outChar(']');
      closing = -1;
      newline();
    }
    more[level] = !last;
    if (o.args) {
      width[level] = (swapped ? 1 : 0) + (commLen > 1 ? 0 : -1);
      const kids = [...current.children];
      for (let k = 0; k < kids.length; k++) {
        const child = kids[k]!;
        let count = 0;
        if (o.compact && child.thread) {
          for (let j = k + 1; j < kids.length; ) {
            if (treeEqual(child, kids[j]!, o)) {
              kids.splice(j, 1);
              count++;
            } else j++;
          }
          dump(child, level + 1, count + 1, false, k === kids.length - 1, current.uid, closing + (count ? 2 : 1));
        } else dump(child, level + 1, 1, false, k === kids.length - 1, current.uid, 0);
      }
      return;
    }
    width[level] = commLen + curX - offset + add;
    if (curX >= o.width && o.trunc) {
      outString(sym.first3);
      outString('+');
      newline();
      return;
    }
    const kids = [...current.children];
    for (let k = 0; k < kids.length; k++) {
      const child = kids[k]!;
      let count = 0;
      if (o.compact) {
        for (let j = k + 1; j < kids.length; ) {
          if (treeEqual(child, kids[j]!, o)) {
            kids.splice(j, 1);
            count++;
          } else j++;
        }
      }
      const isLast = k === kids.length - 1;
      if (k === 0) outString(isLast ? sym.single3 : sym.first3);
      dump(child, level + 1, count + 1, k === 0, isLast, current.uid, closing + (count ? 1 : 0));
    }
  };
  if (o.user === null) {
    const root = nodes.get(o.root);
    // a pid that is not running prints nothing, as 22.20 does
    if (root) dump(root, 0, 1, true, true, 0, 0);
    return { stdout: out, stderr: '', code: 0 };
  }
  const uid = users[o.user]!;
  let dumped = false;
  const byUser = (n: Node | undefined): void => {
    if (!n) return;
    if (n.uid === uid) {
      if (dumped) out += '\n';
      dump(n, 0, 1, true, true, uid, 0);
      dumped = true;
      return;
    }
    for (const c of n.children) byUser(c);
  };
  byUser(nodes.get(1));
  if (!dumped) return { stdout: '', stderr: 'No processes found.\n', code: 1 };
  return { stdout: out, stderr: '', code: 0 };
}
