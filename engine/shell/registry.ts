import type { CommandRegistry, CommandSpec } from './types';
import { shellBuiltins } from './commands/builtins';
import { echo } from './commands/echo';
import { printf } from './commands/printf';
import { cat } from './commands/cat';
import { grep } from './commands/grep';
import { sed } from './commands/sed';
import { head, tail } from './commands/headtail';
import { wc } from './commands/wc';
import { zcat, zgrep } from './commands/zcat';
import { sort } from './commands/sort';
import { uniq } from './commands/uniq';
import { cut } from './commands/cut';
import { tr } from './commands/tr';
import { awk } from './commands/awk';
import { tee } from './commands/tee';
import { rm } from './commands/rm';
import { mkdir } from './commands/mkdir';
import { rmdir } from './commands/rmdir';
import { touch } from './commands/touch';
import { cp } from './commands/cp';
import { mv } from './commands/mv';
import { ln } from './commands/ln';
import { readlink } from './commands/readlink';
import { unlink } from './commands/unlink';
import { chmod } from './commands/chmod';
import { chown } from './commands/chown';
import { md5sum, sha1sum } from './commands/digest';
import { seq } from './commands/seq';
import { sleep } from './commands/sleep';
import { trueCmd, falseCmd } from './commands/truefalse';
import { ls } from './commands/ls';
import { pwd, whoami, id, hostname, printenv } from './commands/identity';
import { clear, watch, less, more } from './commands/screen';
import { man, help, which, type } from './commands/docs';

interface SpecRegistry extends CommandRegistry {
  all(): CommandSpec[];
}

/** A registry of commands by name; a later spec with the same name replaces an earlier one. */
export function createRegistry(specs: readonly CommandSpec[]): SpecRegistry {
  const byName = new Map<string, CommandSpec>();
  for (const s of specs) byName.set(s.name, s);
  const names = [...byName.keys()].sort();
  return {
    get: (name) => byName.get(name),
    names: () => [...names],
    all: () => names.map((n) => byName.get(n)!),
  };
}

/** The commands every chapter gets: text tools, files, and the shell's own builtins. */
export function genericCommands(): CommandSpec[] {
  return [
    ...shellBuiltins(),
    echo, printf, cat, grep, sed, zcat, zgrep, head, tail, wc, sort, uniq, cut, tr, awk, tee, seq, sleep, trueCmd, falseCmd,
    ls, rm, mkdir, rmdir, touch, cp, mv, ln, readlink, unlink, chmod, chown, md5sum, sha1sum, pwd, whoami, id, hostname, printenv, clear, watch, less, more, man, help, which, type,
  ];
}
