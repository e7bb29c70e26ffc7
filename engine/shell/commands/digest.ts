import type { CommandContext, CommandSpec } from '../types';
import { Out, failure, ok } from '../io';
import { getopt, has } from '../getopt';
import { errnoMessage } from '../../vfs/errno';
import { absPath, operandChunks, tryHelp, unreadableReason } from './util';
import { defineCommand } from './define';
import { Md5, Sha1, bytesOf, type Hasher } from '../../hashes';
import { q } from './fileops';

interface ByteAware {
  holdsBytes?(path: string): boolean;
}

function digestCommand(name: 'md5sum' | 'sha1sum', algo: string, make: () => Hasher, example: string): CommandSpec {
  return defineCommand({
    name,
    summary: `compute and check ${algo} message digest`,
    category: 'files',
    argKind: 'path',
    completions: ['-b', '-t'],
    synopsis: [`${name} [-b] [FILE]...`],
    description: [`Prints the ${algo} digest of each FILE's bytes (of standard input with no FILE or with -), two spaces, and the name: the same bytes always give the same digest, so two files with the same digest hold the same data.`],
    options: [
      ['-b', 'Mark each name with * (read in binary mode; on Linux the digest is the same).'],
      ['-t', 'Mark each name with a space (text mode, the default).'],
    ],
    examples: [[example, 'A fingerprint of a file, to compare with a copy.']],
    notes: ['-c (checking a list of digests) is not simulated, and packages downloaded here keep only their size, not their bytes, so they cannot be hashed.'],
    run(ctx) {
      const p = getopt(name, ctx.argv.slice(1), [
        { key: 'b', short: 'b', long: 'binary' },
        { key: 't', short: 't', long: 'text' },
        { key: 'c', short: 'c', long: 'check' },
        { key: 'quiet', long: 'quiet' },
        { key: 'status', long: 'status' },
        { key: 'strict', long: 'strict' },
        { key: 'w', short: 'w', long: 'warn' },
      ], { builtinHelp: true });
      if (p.help) return ok(`Usage: ${name} [OPTION]... [FILE]...\nPrint or check ${algo} (${algo === 'MD5' ? '128' : '160'}-bit) checksums.\n`);
      if (p.error !== undefined) return tryHelp(name, p.error);
      if (has(p.opts, 'c')) return failure(`${name}: -c (checking a list of digests) is not simulated\n`);
      const mark = p.opts.filter((o) => o.key === 'b' || o.key === 't').pop()?.key === 'b' ? '*' : ' ';
      const out = new Out();
      let code = 0;
      for (const file of p.operands.length ? p.operands : ['-']) {
        const r = hashFile(ctx, file, make());
        if (typeof r !== 'string') {
          out.errLine(`${name}: ${'errno' in r ? `${file}: ${unreadableReason(r.errno, file, `zcat ${file} | ${name} hashes what it holds, not the file`)}` : r.message}`);
          code = 1;
          continue;
        }
        out.out(`${r} ${mark}${file}\n`);
      }
      return out.done(code);
    },
  });
}

function hashFile(ctx: CommandContext, file: string, h: Hasher): string | { errno: Parameters<typeof errnoMessage>[0] } | { message: string } {
  const path = file === '-' ? '' : absPath(ctx, file);
  if (file !== '-') {
    const st = ctx.env.fs.stat(path);
    if (st.ok && st.value.type === 'dir') return { errno: 'EISDIR' };
  }
  const chunks = operandChunks(ctx, file);
  if (!chunks.ok) return { errno: chunks.errno };
  const latin1 = file !== '-' && (ctx.env.fs as unknown as ByteAware).holdsBytes?.(path) === true;
  let total = 0;
  for (const c of chunks.value) {
    const bytes = bytesOf(c.text, latin1);
    total += bytes.length;
    h.update(bytes);
  }
  if (file !== '-') {
    // a downloaded package keeps its size and not its bytes: its digest would be a lie
    const st = ctx.env.fs.stat(path);
    if (st.ok && st.value.size > 0 && st.value.size !== total) return { message: `the bytes of ${q(file)} are not kept in this world, only its size: it cannot be hashed` };
  }
  return h.hex();
}

export const md5sum = digestCommand('md5sum', 'MD5', () => new Md5(), 'md5sum /etc/sysctl.conf');
export const sha1sum = digestCommand('sha1sum', 'SHA1', () => new Sha1(), 'sha1sum /etc/sysctl.conf');
