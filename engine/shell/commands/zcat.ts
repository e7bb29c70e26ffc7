import type { CommandContext, FsResult, TextChunk, Vfs } from '../types';
import { Out, ok } from '../io';
import { errnoMessage } from '../../vfs/errno';
import { absPath, Gathered, interruptible } from './util';
import { textChunks } from '../../vfs/vfs';
import { defineCommand } from './define';
import { grep } from './grep';

/**
 * zcat and zgrep as gzip 1.6 has them. The machine's compressed files are logrotate's .gz logs,
 * kept as the records they hold: reading one decompresses it a line at a time.
 */

/** gzip -cd's reading of a file: its content when it is compressed, else EINVAL ("not in gzip format") */
function gunzipChunks(ctx: CommandContext, name: string): FsResult<Iterable<TextChunk>> {
  const fs = ctx.env.fs;
  if (!fs.readChunks) return { ok: false, errno: 'EINVAL' };
  const r = fs.readChunks(absPath(ctx, name), ctx.user, { gunzip: true });
  return r.ok ? { ok: true, value: interruptible(ctx, r.value) } : r;
}

export const zcat = defineCommand({
  name: 'zcat',
  summary: 'print compressed files',
  category: 'logs',
  argKind: 'path',
  synopsis: ['zcat FILE...'],
  description: ['Prints what each gzip-compressed FILE holds, as gzip -cd would: the rotated logs in /var/log (syslog.2.gz and older) are compressed.'],
  examples: [['zcat /var/log/syslog.2.gz | grep -c "Killed process"', 'OOM kills logged two rotations ago.']],
  run(ctx) {
    const files = ctx.argv.slice(1);
    const out = new Out();
    let code = 0;
    if (files.length === 0 || (files.length === 1 && files[0] === '-')) {
      if (ctx.stdin === '') return ok('');
      // get_method() puts a newline before the complaint, so it starts on a line of its own
      return out.errLine('\ngzip: stdin: not in gzip format').done(1);
    }
    for (const f of files) {
      if (f.startsWith('-') && f !== '-') continue;
      const r = f === '-' ? ({ ok: false, errno: 'EINVAL' } as const) : gunzipChunks(ctx, f);
      if (!r.ok) {
        out.errLine(r.errno === 'EINVAL' ? `\ngzip: ${f === '-' ? 'stdin' : f}: not in gzip format` : `gzip: ${f}: ${errnoMessage(r.errno)}`);
        code = 1;
        continue;
      }
      const gathered = new Gathered();
      for (const chunk of r.value) gathered.add(chunk.text);
      out.out(gathered.text());
    }
    return out.done(code);
  },
});

/** the VFS as gzip -cdf sees it: compressed files decompressed, others read as they are */
function decompressingFs(fs: Vfs): Vfs {
  return {
    stat: (p) => fs.stat(p),
    read: (p, u) => fs.read(p, u),
    write: (p, d, u, o) => fs.write(p, d, u, o),
    list: (p, u) => fs.list(p, u),
    remove: (p, u) => fs.remove(p, u),
    readChunks: (p, u, o) => {
      if (!fs.readChunks) {
        const r = fs.read(p, u);
        return r.ok ? { ok: true, value: textChunks(r.value) } : r;
      }
      const z = fs.readChunks(p, u, { ...o, gunzip: true });
      return z.ok || z.errno !== 'EINVAL' ? z : fs.readChunks(p, u, { ...o, gunzip: false });
    },
  };
}

export const zgrep = defineCommand({
  name: 'zgrep',
  summary: 'search possibly compressed files',
  category: 'logs',
  argKind: 'path',
  synopsis: ['zgrep [GREP OPTIONS] PATTERN FILE...'],
  description: ['grep on files that may be gzip-compressed: each is decompressed as it is read, and a plain file is searched as it is. The options are grep\'s.'],
  examples: [['zgrep -c "Killed process" /var/log/syslog.2.gz', 'Count the kills in a rotated, compressed log.']],
  run(ctx) {
    const r = grep.run({ ...ctx, argv: ['grep', ...ctx.argv.slice(1)], env: { ...ctx.env, fs: decompressingFs(ctx.env.fs) } });
    return r;
  },
});
