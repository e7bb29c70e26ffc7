/**
 * GNU-style option parsing as coreutils and grep do it: clustered short options (-nr), attached
 * or separate arguments (-n5, -n 5), long options with unique prefixes (--lines=5, --li 5),
 * `--` to end options, and options allowed after operands.
 */

export interface OptDef {
  key: string;
  short?: string;
  long?: string;
  arg?: boolean;
}

export interface ParsedOpt {
  key: string;
  value: string;
}

export type GetoptResult =
  | { ok: true; opts: ParsedOpt[]; operands: string[] }
  /** message is getopt's own complaint, without the usage line that follows it */
  | { ok: false; message: string }
  | { ok: false; help: true };

export function getopt(cmd: string, args: readonly string[], defs: readonly OptDef[], permute = true): GetoptResult {
  const opts: ParsedOpt[] = [];
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      if (name === 'help' && !defs.some((d) => d.long === 'help')) return { ok: false, help: true };
      const exact = defs.find((d) => d.long === name);
      const matches = exact ? [exact] : defs.filter((d) => d.long && d.long.startsWith(name));
      if (matches.length === 0) return { ok: false, message: `${cmd}: unrecognized option '--${name}'` };
      if (matches.length > 1) {
        return { ok: false, message: `${cmd}: option '--${name}' is ambiguous; possibilities:${matches.map((m) => ` '--${m.long}'`).join('')}` };
      }
      const d = matches[0];
      if (d.arg) {
        if (eq >= 0) opts.push({ key: d.key, value: a.slice(eq + 1) });
        else if (i + 1 < args.length) opts.push({ key: d.key, value: args[++i] });
        else return { ok: false, message: `${cmd}: option '--${d.long}' requires an argument` };
      } else {
        if (eq >= 0) return { ok: false, message: `${cmd}: option '--${d.long}' doesn't allow an argument` };
        opts.push({ key: d.key, value: '' });
      }
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        const d = defs.find((x) => x.short === c);
        if (!d) return { ok: false, message: `${cmd}: invalid option -- '${c}'` };
        if (d.arg) {
          if (j + 1 < a.length) opts.push({ key: d.key, value: a.slice(j + 1) });
          else if (i + 1 < args.length) opts.push({ key: d.key, value: args[++i] });
          else return { ok: false, message: `${cmd}: option requires an argument -- '${c}'` };
          break;
        }
        opts.push({ key: d.key, value: '' });
      }
      continue;
    }
    operands.push(a);
    if (!permute) {
      operands.push(...args.slice(i + 1));
      break;
    }
  }
  return { ok: true, opts, operands };
}

/** The last value given for an option, or undefined. */
export function last(opts: readonly ParsedOpt[], key: string): string | undefined {
  for (let i = opts.length - 1; i >= 0; i--) if (opts[i].key === key) return opts[i].value;
  return undefined;
}

export function has(opts: readonly ParsedOpt[], key: string): boolean {
  return opts.some((o) => o.key === key);
}
