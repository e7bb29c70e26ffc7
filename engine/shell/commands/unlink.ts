import { failure, ok } from '../io';
import { getopt } from '../getopt';
import { errnoMessage } from '../../vfs/errno';
import { absPath, tryHelp } from './util';
import { defineCommand } from './define';
import { NO_TREE_OPS, q, treeOps } from './fileops';

export const unlink = defineCommand({
  name: 'unlink',
  summary: 'call the unlink function to remove the specified file',
  category: 'files',
  argKind: 'path',
  synopsis: ['unlink FILE'],
  description: ['Removes the one name FILE with unlink(2), and nothing else: no options, no directories. A symbolic link is removed itself, never what it names.'],
  examples: [['sudo unlink /data/db/journal', 'Remove the link, leaving the directory it named.']],
  run(ctx) {
    const p = getopt('unlink', ctx.argv.slice(1), [], { builtinHelp: true });
    if (p.help) return ok('Usage: unlink FILE\n  or:  unlink OPTION\nCall the unlink function to remove the specified FILE.\n');
    if (p.error !== undefined) return tryHelp('unlink', p.error);
    if (p.operands.length === 0) return tryHelp('unlink', 'unlink: missing operand');
    if (p.operands.length > 1) return tryHelp('unlink', `unlink: extra operand ${q(p.operands[1])}`);
    const fs = treeOps(ctx);
    if (!fs) return failure(`unlink: ${NO_TREE_OPS}\n`);
    const name = p.operands[0];
    const r = fs.unlink(absPath(ctx, name), ctx.user);
    return r.ok ? ok() : failure(`unlink: cannot unlink ${q(name)}: ${errnoMessage(r.errno)}\n`);
  },
});
