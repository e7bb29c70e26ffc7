/**
 * The grimoire's incantations for the lock, for a player who locks by hand what the 2.6 shell
 * would lock with `db.fsyncLock()`: they talk to this box's own mongod (port 27017) and print the
 * reply the shell would. Sealed or not, everything the mongod does is its own (a flush, the
 * journal truncated, replication stopped while it holds).
 */
import { interactiveLine } from '../../../machine/mongo/program';
import { mongoOf } from '../../../machine/mongo/server';
import type { MachineContext } from '../../../machine/spells/context';
import { defineCommand } from '../../../shell/commands/define';
import type { CommandResult, CommandSpec } from '../../../shell/types';

const res = (stdout: string, stderr = '', code = 0): CommandResult => ({ stdout, stderr, code });

function shellCall(c: MachineContext, js: string): CommandResult {
  const w = c.world();
  const out = interactiveLine({ w, localNames: ['127.0.0.1', 'localhost', w.p.hostname], t: w.now, clientPort: c.streams.stream('mongo').int(32768, 60999) }, 'admin', js);
  // the lock's flush answers once the device has completed it
  const until = Math.max(0, ...mongoOf(w).servers.map((s) => s.replyAt ?? 0));
  for (const s of mongoOf(w).servers) delete s.replyAt;
  if (until > w.now) c.advance(until - w.now);
  return res(out.stdout);
}

export function lockSpells(c: MachineContext): CommandSpec[] {
  return [
    defineCommand({
      name: 'fsyncLock',
      summary: "seal this box's mongod against writes, after flushing everything to disk (db.fsyncLock())",
      category: 'processes',
      synopsis: ['fsyncLock'],
      description: [
        "The grimoire's way of typing db.fsyncLock() into the mongo shell: mongod flushes its data files, then holds its write lock until fsyncUnlock. Replication stops applying while it holds, so the lag grows; each lock needs its own unlock.",
      ],
      examples: [['fsyncLock', 'lock, then take a snapshot, then fsyncUnlock']],
      run: (ctx) => (ctx.argv.length > 1 ? res('', 'usage: fsyncLock\n', 64) : shellCall(c, 'db.fsyncLock()')),
    }),
    defineCommand({
      name: 'fsyncUnlock',
      summary: "let this box's mongod write again (db.fsyncUnlock())",
      category: 'processes',
      synopsis: ['fsyncUnlock'],
      description: ["The grimoire's way of typing db.fsyncUnlock(): one lock released. With none held, mongod says so."],
      examples: [['fsyncUnlock', 'release the lock fsyncLock took']],
      run: (ctx) => (ctx.argv.length > 1 ? res('', 'usage: fsyncUnlock\n', 64) : shellCall(c, 'db.fsyncUnlock()')),
    }),
  ];
}
