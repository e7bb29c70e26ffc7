/**
 * File modes as coreutils 8.21 changes them (gnulib's modechange.c, which chmod uses): a mode is
 * compiled once into a list of changes, then applied to each file's mode. Octal modes set every
 * permission bit; symbolic ones (`u+x`, `go-w`, `a=rX`, `+t`, `o=u`) change the bits named, for
 * the classes named, or for all of them less the umask when no class is named.
 */

const S_ISUID = 0o4000;
const S_ISGID = 0o2000;
const S_ISVTX = 0o1000;
const S_IRWXU = 0o700;
const S_IRWXG = 0o070;
const S_IRWXO = 0o007;
const READ = 0o444;
const WRITE = 0o222;
const EXEC = 0o111;
/** every bit chmod(2) sets */
export const CHMOD_MODE_BITS = 0o7777;

type Flag = 'ordinary' | 'copy' | 'x-if-any-x';

export interface ModeChange {
  op: '=' | '+' | '-';
  flag: Flag;
  /** the bits of the classes named (u, g, o, a); 0 when none was: then the umask decides */
  affected: number;
  value: number;
  /** the bits the change spoke of: a directory keeps its set-id bits unless they are among them */
  mentioned: number;
}

/** mode_compile: the changes MODE asks for, or null when it is not a mode */
export function compileMode(mode: string): ModeChange[] | null {
  if (/^[0-7]/.test(mode)) {
    if (!/^[0-7]+$/.test(mode)) return null;
    const octal = parseOctal(mode);
    if (octal === null) return null;
    // fewer than five digits leave a directory's set-id bits as they are, unless the mode sets them
    const mentioned = mode.length < 5 ? (octal & (S_ISUID | S_ISGID)) | S_ISVTX | 0o777 : CHMOD_MODE_BITS;
    return [{ op: '=', flag: 'ordinary', affected: CHMOD_MODE_BITS, value: octal, mentioned }];
  }
  const changes: ModeChange[] = [];
  let p = 0;
  const at = (): string => mode[p] ?? '';
  for (;;) {
    let affected = 0;
    for (;; p++) {
      const c = at();
      if (c === 'u') affected |= S_ISUID | S_IRWXU;
      else if (c === 'g') affected |= S_ISGID | S_IRWXG;
      else if (c === 'o') affected |= S_ISVTX | S_IRWXO;
      else if (c === 'a') affected |= CHMOD_MODE_BITS;
      else if (c === '=' || c === '+' || c === '-') break;
      else return null;
    }
    do {
      const op = at() as ModeChange['op'];
      p++;
      let value = 0;
      let mentioned = 0;
      let flag: Flag = 'copy';
      const c = at();
      if (/[0-7]/.test(c)) {
        const start = p;
        while (/[0-7]/.test(at())) p++;
        const octal = parseOctal(mode.slice(start, p));
        if (octal === null || affected !== 0 || (at() !== '' && at() !== ',')) return null;
        affected = mentioned = CHMOD_MODE_BITS;
        value = octal;
        flag = 'ordinary';
      } else if (c === 'u' || c === 'g' || c === 'o') {
        // the bits of that class on the same file, copied to the classes affected
        value = c === 'u' ? S_IRWXU : c === 'g' ? S_IRWXG : S_IRWXO;
        p++;
      } else {
        flag = 'ordinary';
        for (;; p++) {
          const v = at();
          if (v === 'r') value |= READ;
          else if (v === 'w') value |= WRITE;
          else if (v === 'x') value |= EXEC;
          else if (v === 'X') flag = 'x-if-any-x';
          else if (v === 's') value |= S_ISUID | S_ISGID;
          else if (v === 't') value |= S_ISVTX;
          else break;
        }
      }
      changes.push({ op, flag, affected, value, mentioned: mentioned || (affected ? affected & value : value) });
    } while (at() === '=' || at() === '+' || at() === '-');
    if (at() !== ',') break;
    p++;
  }
  return at() === '' ? changes : null;
}

/** an octal number of at most 07777, or null */
function parseOctal(digits: string): number | null {
  let n = 0;
  for (const d of digits) {
    n = n * 8 + Number(d);
    if (n > CHMOD_MODE_BITS) return null;
  }
  return n;
}

/** mode_adjust: the mode `changes` leave of `oldMode` (a directory's when `dir`), with this umask */
export function adjustMode(oldMode: number, dir: boolean, umask: number, changes: readonly ModeChange[]): number {
  let mode = oldMode & CHMOD_MODE_BITS;
  for (const ch of changes) {
    const omit = (dir ? S_ISUID | S_ISGID : 0) & ~ch.mentioned;
    let value = ch.value;
    if (ch.flag === 'copy') {
      value &= mode;
      // the class's bits, copied to the other two
      value |= (value & READ ? READ : 0) | (value & WRITE ? WRITE : 0) | (value & EXEC ? EXEC : 0);
    } else if (ch.flag === 'x-if-any-x' && ((mode & EXEC) !== 0 || dir)) {
      value |= EXEC;
    }
    value &= (ch.affected ? ch.affected : ~umask) & ~omit;
    if (ch.op === '=') {
      const preserved = (ch.affected ? ~ch.affected : 0) | omit;
      mode = (mode & preserved) | value;
    } else if (ch.op === '+') mode |= value;
    else mode &= ~value;
  }
  return mode & CHMOD_MODE_BITS;
}

/** strmode's nine permission characters: rwxr-xr-x, with s/S and t/T for the set-id and sticky bits */
export function permissionString(mode: number): string {
  const triad = (shift: number, special: number, set: string, unset: string): string => {
    const bits = (mode >> shift) & 7;
    const x = bits & 1;
    const exec = mode & special ? (x ? set : unset) : x ? 'x' : '-';
    return (bits & 4 ? 'r' : '-') + (bits & 2 ? 'w' : '-') + exec;
  };
  return triad(6, S_ISUID, 's', 'S') + triad(3, S_ISGID, 's', 'S') + triad(0, S_ISVTX, 't', 'T');
}
