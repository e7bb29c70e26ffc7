import { defineCommand } from '../../shell/commands/define';
import type { CommandContext, CommandResult, CommandSpec } from '../../shell/types';
import { errnoMessage } from '../../vfs/errno';
import { normalizePath } from '../../vfs/path';
import { ctime } from '../../formats/time';
import { parseField } from '../crontab';
import { slog } from '../syslog';
import type { MachineContext } from './context';

/**
 * crontab from Debian's vixie cron 3.0pl1-124ubuntu2: install a user's table into
 * /var/spool/cron/crontabs (where cron reads it at its next minute), list it, remove it.
 */

const res = (stdout: string, stderr = '', code = 0): CommandResult => ({ stdout, stderr, code });
const SPOOL = '/var/spool/cron/crontabs';
const HEADER_LINES = 3;

const USAGE =
  'crontab: usage error: %s\n' +
  'usage:\tcrontab [-u user] file\n' +
  '\tcrontab [ -u user ] [ -i ] { -e | -l | -r }\n' +
  '\t\t(default operation is replace, per 1003.2)\n' +
  '\t-e\t(edit user\'s crontab)\n' +
  '\t-l\t(list user\'s crontab)\n' +
  '\t-r\t(delete user\'s crontab)\n' +
  '\t-i\t(prompt before deleting user\'s crontab)\n';
const usage = (why: string): CommandResult => res('', USAGE.replace('%s', why), 1);

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DOWS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const SPECIAL = ['@reboot', '@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

/** load_entry()'s complaints, line by line, for a table with no user field */
export function crontabErrors(content: string, name: string): string[] {
  const out: string[] = [];
  content.split('\n').forEach((raw, i) => {
    const line = raw.replace(/^\s+/, '');
    if (line === '' || line.startsWith('#') || /^[A-Za-z_][A-Za-z0-9_]*\s*=/.test(line)) return;
    const bad = (what: string) => out.push(`"${name}":${i}: ${what}`);
    if (line.startsWith('@')) {
      const m = /^(@\w+)(?:\s+(.*))?$/.exec(line);
      if (!m || !SPECIAL.includes(m[1]!.toLowerCase())) bad('bad time specifier');
      else if (!m[2]?.trim()) bad('bad command');
      return;
    }
    const f = line.split(/\s+/);
    if (!parseField(f[0] ?? '', 0, 59)) return void bad('bad minute');
    if (!parseField(f[1] ?? '', 0, 23)) return void bad('bad hour');
    if (!parseField(f[2] ?? '', 1, 31)) return void bad('bad day-of-month');
    if (!parseField(f[3] ?? '', 1, 12, MONTHS, 1)) return void bad('bad month');
    if (!parseField(f[4] ?? '', 0, 7, DOWS, 0)) return void bad('bad day-of-week');
    if (f.slice(5).join(' ').trim() === '') bad('bad command');
  });
  return out;
}

export function crontabSpells(c: MachineContext): CommandSpec[] {
  const w = () => c.world();
  const log = (user: string, what: string): void => {
    const world = w();
    slog(world.logs, world.now, 'crontab', world.k.lastPid + 1, `(${user}) ${what} (${user})`);
  };
  return [
    defineCommand({
      name: 'crontab',
      summary: "install, list or remove your own cron table",
      category: 'processes',
      synopsis: ['crontab -l', 'crontab FILE', 'echo "M H * * * COMMAND" | crontab -', 'crontab -r'],
      description: [
        'Each user has one table of jobs for cron, kept in /var/spool/cron/crontabs. crontab FILE (or crontab - for what is piped in) replaces it; cron notices within a minute and runs each line at its time, as you, with /bin/sh. Lines have five time fields (minute hour day-of-month month day-of-week) and no user field, unlike /etc/crontab.',
        'crontab -e opens an editor on the table; this machine has no editor, so write the table to a file (or pipe it) and install that.',
      ],
      options: [
        ['-l', 'print your table'],
        ['-r', 'remove it'],
        ['-u USER', 'another user\'s table (root only)'],
        ['-e', 'edit in $EDITOR (no editor here: use crontab FILE)'],
      ],
      examples: [
        ['(crontab -l; echo "*/5 * * * * uptime >> /home/ops/load.log") | crontab -', 'add a line to your table'],
        ['crontab -l', 'what runs as you'],
      ],
      argKind: 'path',
      run: (ctx: CommandContext) => {
        const a = ctx.argv.slice(1);
        let user = ctx.user;
        let action: 'replace' | 'list' | 'remove' | 'edit' | null = null;
        let file: string | null = null;
        for (let i = 0; i < a.length; i++) {
          const x = a[i]!;
          if (x === '-u') {
            const who = a[++i];
            if (who === undefined) return usage("option requires an argument -- 'u'");
            if (ctx.user !== 'root') return res('', 'must be privileged to use -u\n', 1);
            if (c.users()[who] === undefined) return res('', `crontab: user \`${who}' unknown\n`, 1);
            user = who;
          } else if (x === '-l' || x === '-r' || x === '-e') {
            if (action !== null) return usage('only one operation permitted');
            action = x === '-l' ? 'list' : x === '-r' ? 'remove' : 'edit';
          } else if (x === '-i') continue;
          else if (x.startsWith('-') && x !== '-') return usage(`invalid option -- '${x.slice(1, 2)}'`);
          else if (file === null) file = x;
          else return usage('too many arguments');
        }
        if (action !== null && file !== null) return usage('no arguments permitted after this option');
        const path = `${SPOOL}/${user}`;
        const world = w();
        const stored = world.files.files[path];
        if (action === 'list') {
          if (!stored) return res('', `no crontab for ${user}\n`, 1);
          log(user, 'LIST');
          const lines = stored.content.split('\n');
          let skip = 0;
          while (skip < HEADER_LINES && lines[skip]?.startsWith('#')) skip++;
          return res(lines.slice(skip).join('\n'));
        }
        if (action === 'remove') {
          if (!stored) return res('', `no crontab for ${user}\n`, 1);
          delete world.files.files[path];
          log(user, 'DELETE');
          return res('');
        }
        if (action === 'edit') return res('', 'crontab: -e needs an editor, and this machine has none here: write the table to a file and run crontab FILE, or pipe it: echo "M H * * * COMMAND" | crontab -\n', 1);
        if (file === null) return usage('file name must be specified for replace');
        let content: string;
        if (file === '-') content = ctx.stdin;
        else {
          const r = ctx.env.fs.read(normalizePath(file, ctx.cwd), ctx.user);
          if (!r.ok) return res('', `${file}: ${errnoMessage(r.errno)}\n`, 1);
          content = r.value;
        }
        if (content.length > 0 && !content.endsWith('\n')) return res('', 'new crontab file is missing newline before EOF, can\'t install.\n', 1);
        const errors = crontabErrors(content, file);
        if (errors.length) return res('', `${errors.join('\n')}\nerrors in crontab file, can't install.\n`, 1);
        const header = `# DO NOT EDIT THIS FILE - edit the master and reinstall.\n# (${file} installed on ${ctime(world.now)})\n# (Cron version -- $Id: crontab.c,v 2.13 1994/01/17 03:20:37 vixie Exp $)\n`;
        const wrote = ctx.env.fs.write(path, header + content, 'root');
        if (!wrote.ok) return res('', `crontab: ${errnoMessage(wrote.errno)}\n`, 1);
        const f = world.files.files[path];
        if (f) {
          f.owner = user;
          f.group = 'crontab';
          f.mode = 0o600;
        }
        log(user, 'REPLACE');
        return res('');
      },
    }),
  ];
}
