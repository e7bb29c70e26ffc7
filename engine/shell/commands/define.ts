import type { CommandCategory, CommandContext, CommandResult, CommandSpec } from '../types';
import type { BuiltinSpec, ShellAccess } from '../builtin';
import type { ChunkedResult } from '../io';
import { builtinOnly } from '../builtin';

/** What a command's manual says; the page itself is laid out by manPage so all pages look alike. */
interface ManInfo {
  name: string;
  summary: string;
  synopsis: string[];
  /** paragraphs */
  description: string[];
  options?: [string, string][];
  examples?: [string, string][];
  /** a closing paragraph on what this world's version leaves out */
  notes?: string[];
}

interface CommandDef extends ManInfo {
  category: CommandCategory;
  run(ctx: CommandContext): ChunkedResult | CommandResult;
  completions?: readonly string[];
  argKind?: CommandSpec['argKind'];
  path?: string;
}

interface BuiltinDef extends ManInfo {
  category: CommandCategory;
  builtin(ctx: CommandContext, sh: ShellAccess): ChunkedResult;
  completions?: readonly string[];
  argKind?: CommandSpec['argKind'];
}

export function defineCommand(d: CommandDef): CommandSpec {
  const spec: CommandSpec = withManPage({ name: d.name, summary: d.summary, category: d.category, run: d.run, completions: d.completions, argKind: d.argKind }, d);
  if (d.path) spec.path = d.path;
  return spec;
}

export function defineBuiltin(d: BuiltinDef): BuiltinSpec {
  return withManPage({ name: d.name, summary: d.summary, category: d.category, run: builtinOnly(d.name), builtin: d.builtin, completions: d.completions, argKind: d.argKind }, d);
}

/**
 * The page is laid out when `man` (or `help`) first reads it: every game builds its hundred-odd
 * commands when it starts or is restored, and reads a page or two.
 */
function withManPage<T extends Omit<CommandSpec, 'man'>>(spec: T, m: ManInfo): T & { man: string } {
  let page: string | null = null;
  return Object.defineProperty(spec, 'man', {
    get: () => (page ??= manPage(m)),
    enumerable: true,
    configurable: false,
  }) as T & { man: string };
}

const INDENT = '       ';

function manPage(m: ManInfo): string {
  const out: string[] = [];
  out.push('NAME', `${INDENT}${m.name} - ${m.summary}`, '');
  out.push('SYNOPSIS', ...m.synopsis.map((s) => INDENT + s), '');
  out.push('DESCRIPTION');
  m.description.forEach((p, i) => {
    if (i > 0) out.push('');
    out.push(...wrap(p, INDENT));
  });
  out.push('');
  if (m.options && m.options.length) {
    out.push('OPTIONS');
    for (const [flag, text] of m.options) {
      out.push(INDENT + flag);
      out.push(...wrap(text, INDENT + '       '));
    }
    out.push('');
  }
  if (m.examples && m.examples.length) {
    out.push('EXAMPLES');
    for (const [cmd, text] of m.examples) {
      out.push(INDENT + cmd);
      out.push(...wrap(text, INDENT + '       '));
    }
    out.push('');
  }
  if (m.notes && m.notes.length) {
    out.push('NOTES');
    m.notes.forEach((p, i) => {
      if (i > 0) out.push('');
      out.push(...wrap(p, INDENT));
    });
    out.push('');
  }
  return out.join('\n');
}

/** The lines of a page's SYNOPSIS section, without indentation. */
export function synopsisOf(man: string): string[] {
  const lines = man.split('\n');
  const start = lines.indexOf('SYNOPSIS');
  if (start < 0) return [];
  const out: string[] = [];
  for (let i = start + 1; i < lines.length && lines[i].startsWith(' '); i++) out.push(lines[i].trim());
  return out;
}

function wrap(text: string, indent: string, width = 78): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      out.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(indent + line);
  return out;
}
