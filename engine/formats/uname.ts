/** uname from coreutils 8.21: fields always print in the fixed -a order, whatever the flag order. */
import type { UnameView } from './types';
import { exitWith, quoteUtf8, type ParsedArgs } from './args';
import { getopt } from '../shell/getopt';

interface UnameOptions {
  fields: Array<keyof UnameView>;
  /** -a: processor and hardware platform are dropped when "unknown" */
  all: boolean;
}

/** The box the game runs on: Ubuntu 14.04 with the lts-utopic kernel on an x86_64 Xen guest. */
export function trustyUname(nodename: string): UnameView {
  return {
    sysname: 'Linux',
    nodename,
    release: '3.16.0-30-generic',
    version: '#40~14.04.1-Ubuntu SMP Thu Jan 15 17:43:14 UTC 2015',
    machine: 'x86_64',
    processor: 'x86_64',
    hardwarePlatform: 'x86_64',
    operatingSystem: 'GNU/Linux',
  };
}

const ORDER: ReadonlyArray<keyof UnameView> = [
  'sysname', 'nodename', 'release', 'version', 'machine', 'processor', 'hardwarePlatform', 'operatingSystem',
];

const TRY = "Try 'uname --help' for more information.\n";

function unameHelp(): string {
  return (
    'Usage: uname [OPTION]...\n' +
    'Print certain system information.  With no OPTION, same as -s.\n' +
    '\n' +
    '  -a, --all                print all information, in the following order,\n' +
    '                             except omit -p and -i if unknown:\n' +
    '  -s, --kernel-name        print the kernel name\n' +
    '  -n, --nodename           print the network node hostname\n' +
    '  -r, --kernel-release     print the kernel release\n' +
    '  -v, --kernel-version     print the kernel version\n' +
    '  -m, --machine            print the machine hardware name\n' +
    '  -p, --processor          print the processor type or "unknown"\n' +
    '  -i, --hardware-platform  print the hardware platform or "unknown"\n' +
    '  -o, --operating-system   print the operating system\n' +
    '      --help     display this help and exit\n' +
    '      --version  output version information and exit\n' +
    '\n' +
    'Report uname translation bugs to <http://translationproject.org/team/>\n' +
    'Full documentation at: <http://www.gnu.org/software/coreutils/uname>\n' +
    "or available locally via: info '(coreutils) uname invocation'\n"
  );
}

export function parseUnameArgs(argv: readonly string[]): ParsedArgs<UnameOptions> {
  const chosen = new Set<keyof UnameView>();
  let all = false;
  const map: Record<string, keyof UnameView> = {
    s: 'sysname', n: 'nodename', r: 'release', v: 'version', m: 'machine', p: 'processor', i: 'hardwarePlatform', o: 'operatingSystem',
  };
  const p = getopt('uname', argv, [
    { short: 'a', long: 'all', key: 'a' },
    { short: 's', long: 'kernel-name', key: 's' },
    { short: 'n', long: 'nodename', key: 'n' },
    { short: 'r', long: 'kernel-release', key: 'r' },
    { short: 'v', long: 'kernel-version', key: 'v' },
    { short: 'm', long: 'machine', key: 'm' },
    { short: 'p', long: 'processor', key: 'p' },
    { short: 'i', long: 'hardware-platform', key: 'i' },
    { short: 'o', long: 'operating-system', key: 'o' },
    { long: 'help', key: 'help' },
    { long: 'version', key: 'version' },
  ]);
  for (const e of p.opts) {
    if (e.key === 'help') return exitWith(unameHelp(), '', 0);
    if (e.key === 'version') {
      return exitWith(
        'uname (GNU coreutils) 8.21\nCopyright (C) 2013 Free Software Foundation, Inc.\n' +
          'License GPLv3+: GNU GPL version 3 or later <http://gnu.org/licenses/gpl.html>.\n' +
          'This is free software: you are free to change and redistribute it.\n' +
          'There is NO WARRANTY, to the extent permitted by law.\n\nWritten by David MacKenzie.\n',
        '',
        0,
      );
    }
    if (e.key === 'a') {
      all = true;
      ORDER.forEach((f) => chosen.add(f));
    } else chosen.add(map[e.key]);
  }
  if (p.error !== undefined) return exitWith('', `${p.error}\n${TRY}`, 1);
  if (p.operands.length) return exitWith('', `uname: extra operand ${quoteUtf8(p.operands[0])}\n${TRY}`, 1);
  if (!chosen.size) chosen.add('sysname');
  return { ok: true, options: { fields: ORDER.filter((f) => chosen.has(f)), all } };
}

export function formatUname(view: UnameView, o: UnameOptions): string {
  const fields = o.fields.filter(
    (f) => !(o.all && (f === 'processor' || f === 'hardwarePlatform') && view[f] === 'unknown'),
  );
  return fields.map((f) => view[f]).join(' ') + '\n';
}
