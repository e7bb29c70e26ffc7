/** ps --help text from procps-ng 3.3.9 (ps/help.c at v3.3.9, its typos included), section by section. */

const SIMPLE =
  '\nBasic options:\n' +
  ' -A, -e               all processes\n' +
  ' -a                   all with tty, except session leaders\n' +
  '  a                   all with tty, including other users\n' +
  ' -d                   all except session leaders\n' +
  ' -N, --deselect       negate selection\n' +
  '  r                   only running processes\n' +
  '  T                   all processes on this terminal\n' +
  '  x                   processes without controlling ttys\n';

const LIST =
  '\nSelection by list:\n' +
  ' -C <command>         command name\n' +
  ' -G, --Group <gid>    real group id or name\n' +
  ' -g, --group <group>  session or effective group name\n' +
  ' -p, --pid <pid>      process id\n' +
  '     --ppid <pid>     select by parent process id\n' +
  ' -s, --sid <session>  session id\n' +
  ' -t, t, --tty <tty>   terminal\n' +
  ' -u, U, --user <uid>  effective user id or name\n' +
  ' -U, --User <uid>     real user id or name\n' +
  '\n' +
  '  selection <arguments> take either:\n' +
  "    comma-separated list e.g. '-u root,nobody' or\n" +
  "    blank-separated list e.g. '-p 123 4567'\n";

const OUTPUT =
  '\nOutput formats:\n' +
  ' -F                   extra full\n' +
  ' -f                   full-format, including command lines\n' +
  '  f, --forest         ascii art process tree\n' +
  ' -H                   show process hierarchy\n' +
  ' -j                   jobs format\n' +
  '  j                   BSD job control format\n' +
  ' -l                   long format\n' +
  '  l                   BSD long format\n' +
  ' -M, Z                add security data (for SELinux)\n' +
  ' -O <format>          preloaded with default columns\n' +
  '  O <format>          as -O, with BSD personality\n' +
  ' -o, o, --format <format>\n' +
  '                      user defined format\n' +
  '  s                   signal format\n' +
  '  u                   user-oriented format\n' +
  '  v                   virtual memory format\n' +
  '  X                   register format\n' +
  ' -y                   do not show flags, show rrs vs. addr (used with -l)\n' +
  '     --context        display security context (for SELinux)\n' +
  '     --headers        repeat header lines, one per page\n' +
  '     --no-headers     do not print header at all\n' +
  '     --cols, --columns, --width <num>\n' +
  '                      set screen width\n' +
  '     --rows, --lines <num>\n' +
  '                      set screen height\n';

const THREADS =
  '\nShow threads:\n' +
  '  H                   as if they where processes\n' +
  ' -L                   possibly with LWP and NLWP columns\n' +
  ' -m, m                after processes\n' +
  ' -T                   possibly with SPID column\n';

const MISC =
  '\nMiscellaneous options:\n' +
  ' -c                   show scheduling class with -l option\n' +
  '  c                   show true command name\n' +
  '  e                   show the environment after command\n' +
  '  k,    --sort        specify sort order as: [+|-]key[,[+|-]key[,...]]\n' +
  '  L                   list format specifiers\n' +
  '  n                   display numeric uid and wchan\n' +
  '  S,    --cumulative  include some dead child process data\n' +
  ' -y                   do not show flags, show rss (only with -l)\n' +
  ' -V, V, --version     display version information and exit\n' +
  ' -w, w                unlimited output width\n' +
  '\n' +
  '        --help <simple|list|output|threads|misc|all>\n' +
  '                      display help and exit\n';

const TRY =
  "\n Try 'ps --help <simple|list|output|threads|misc|all>'\n" +
  "  or 'ps --help <s|l|o|t|m|a>'\n" +
  ' for additional help text.\n';

const TAIL = '\nFor more details see ps(1).\n';

/** Text for `ps --help [section]`; an unknown or missing section prints the short form. */
export function psHelp(section?: string): string {
  const head = '\nUsage:\n ps [options]\n';
  switch (section) {
    case 's': case 'simple': return head + SIMPLE + TAIL;
    case 'l': case 'list': return head + LIST + TAIL;
    case 'o': case 'output': return head + OUTPUT + TAIL;
    case 't': case 'threads': return head + THREADS + TAIL;
    case 'm': case 'misc': return head + MISC + TAIL;
    case 'a': case 'all': return head + SIMPLE + LIST + OUTPUT + THREADS + MISC + TAIL;
    default: return head + TRY + TAIL;
  }
}

/** What ps writes to stderr for any parse error (exit status 1). */
export function psError(message: string): string {
  return `error: ${message}\n${psHelp()}`;
}
