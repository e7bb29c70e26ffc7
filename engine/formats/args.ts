/**
 * Command-line parsing shared by the formatters: GNU getopt_long semantics (bundled short flags,
 * "--opt=value", abbreviated long options) and the exact diagnostics glibc prints, so each tool's
 * parser only declares its options and what to do with them.
 */

/** What a command prints and returns when it does not go on to format anything. */
export interface ToolExit {
  stdout: string;
  stderr: string;
  code: number;
}

export type ParsedArgs<T> = { ok: true; options: T } | ({ ok: false } & ToolExit);

export function exitWith(stdout: string, stderr: string, code: number): { ok: false } & ToolExit {
  return { ok: false, stdout, stderr, code };
}

export interface OptionSpec {
  /** short letter, if any */
  short?: string;
  /** long name without dashes, if any */
  long?: string;
  /** 'none' | 'required' | 'optional' (optional only attaches with '=') */
  arg?: 'none' | 'required' | 'optional';
  /** key reported to the caller */
  key: string;
}

export type GetoptEvent =
  | { kind: 'option'; key: string; value?: string; spelled: string }
  | { kind: 'operand'; value: string }
  | { kind: 'error'; message: string };

/**
 * Walks argv (without argv[0]) the way getopt_long with a leading-'+'-free optstring does:
 * options and operands may interleave; "--" ends options. Stops at the first error, as the
 * tools exit on the first diagnostic.
 */
export function getopt(prog: string, argv: readonly string[], specs: readonly OptionSpec[]): GetoptEvent[] {
  const events: GetoptEvent[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      for (const rest of argv.slice(i + 1)) events.push({ kind: 'operand', value: rest });
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq === -1 ? a.slice(2) : a.slice(2, eq);
      const exact = specs.filter((s) => s.long === name);
      const prefixed = exact.length ? exact : specs.filter((s) => s.long !== undefined && s.long.startsWith(name));
      const distinct = [...new Set(prefixed.map((s) => s.long))];
      if (distinct.length === 0) {
        events.push({ kind: 'error', message: `${prog}: unrecognized option '${eq === -1 ? a : a.slice(0, eq)}'` });
        return events;
      }
      if (distinct.length > 1) {
        events.push({ kind: 'error', message: `${prog}: option '${a}' is ambiguous` });
        return events;
      }
      const spec = prefixed[0];
      const argKind = spec.arg ?? 'none';
      if (argKind === 'none' && eq !== -1) {
        events.push({ kind: 'error', message: `${prog}: option '--${spec.long}' doesn't allow an argument` });
        return events;
      }
      if (argKind === 'required' && eq === -1) {
        if (i + 1 >= argv.length) {
          events.push({ kind: 'error', message: `${prog}: option '--${spec.long}' requires an argument` });
          return events;
        }
        events.push({ kind: 'option', key: spec.key, value: argv[++i], spelled: `--${spec.long}` });
        continue;
      }
      events.push({ kind: 'option', key: spec.key, value: eq === -1 ? undefined : a.slice(eq + 1), spelled: `--${spec.long}` });
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const ch = a[j];
        const spec = specs.find((s) => s.short === ch);
        if (!spec) {
          events.push({ kind: 'error', message: `${prog}: invalid option -- '${ch}'` });
          return events;
        }
        const argKind = spec.arg ?? 'none';
        if (argKind === 'required') {
          if (j + 1 < a.length) {
            events.push({ kind: 'option', key: spec.key, value: a.slice(j + 1), spelled: `-${ch}` });
          } else if (i + 1 < argv.length) {
            events.push({ kind: 'option', key: spec.key, value: argv[++i], spelled: `-${ch}` });
          } else {
            events.push({ kind: 'error', message: `${prog}: option requires an argument -- '${ch}'` });
            return events;
          }
          break;
        }
        if (argKind === 'optional') {
          events.push({ kind: 'option', key: spec.key, value: j + 1 < a.length ? a.slice(j + 1) : undefined, spelled: `-${ch}` });
          break;
        }
        events.push({ kind: 'option', key: spec.key, spelled: `-${ch}` });
      }
      continue;
    }
    events.push({ kind: 'operand', value: a });
  }
  return events;
}

/** The "‘x’" quoting coreutils and util-linux use in a UTF-8 locale (Ubuntu's default en_US.UTF-8). */
export function quoteUtf8(s: string): string {
  return `\u2018${s}\u2019`;
}
