import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';

/** Helpers for the tests that hold src/ to its import rules. */

export const ROOT = join(__dirname, '..', '..');
export const SRC = join(ROOT, 'src');
export const ENGINE = join(ROOT, 'engine');

export function sourceFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) return sourceFiles(p);
      return p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
    });
}

/**
 * Every module a source file names, in any form: `import`, `import type`, `export ... from`,
 * `import x = require()`, `require()`, `import()` and `typeof import()` types. Read with the
 * TypeScript parser, so comments and strings that merely look like imports do not count.
 */
export function importsOf(sourceText: string, fileName = 'file.ts'): string[] {
  const sf = ts.createSourceFile(fileName, sourceText, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const literal = (node: ts.Node | undefined): void => {
    if (node && ts.isStringLiteralLike(node)) found.push(node.text);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      literal(node.moduleSpecifier);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      literal(node.moduleReference.expression);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      const isDynamicImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      if ((isRequire || isDynamicImport) && node.arguments.length > 0) literal(node.arguments[0]);
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      if (ts.isLiteralTypeNode(arg)) literal(arg.literal);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** Where a relative specifier points, as an absolute path without extension; null for packages. */
export function resolveSpecifier(fromFile: string, specifier: string): string | null {
  if (!specifier.startsWith('./') && !specifier.startsWith('../') && specifier !== '.' && specifier !== '..') return null;
  return resolve(dirname(fromFile), specifier).replace(/\.(?:[cm]?[jt]s|json)$/, '');
}

/** The .ts file a resolved path loads (`x.ts`, or `x/index.ts` for a folder), if it exists. */
export function sourceFileFor(resolved: string): string | null {
  for (const candidate of [`${resolved}.ts`, join(resolved, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  return null;
}

export function isInside(dir: string, p: string): boolean {
  return p === dir || p.startsWith(dir + sep);
}

export const rel = (p: string): string => relative(ROOT, p).split(sep).join('/');

export const readSource = (p: string): string => readFileSync(p, 'utf8');

export type Graph = Map<string, string[]>;

/** The import graph of the given sources, keeping only edges to files inside `root`. */
export function graphOf(sources: Map<string, string>, root: string = SRC): Graph {
  const graph: Graph = new Map();
  for (const [file, text] of sources) {
    const targets = new Set<string>();
    for (const spec of importsOf(text, file)) {
      const resolved = resolveSpecifier(file, spec);
      if (resolved === null || !isInside(root, resolved)) continue;
      const target = sources.has(`${resolved}.ts`) ? `${resolved}.ts` : sources.has(join(resolved, 'index.ts')) ? join(resolved, 'index.ts') : sourceFileFor(resolved);
      if (target) targets.add(target);
    }
    graph.set(file, [...targets].sort());
  }
  return graph;
}

/** Each cycle once, as "a -> b -> a", starting from its smallest file name. */
export function cyclesOf(graph: Graph): string[] {
  const found = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') {
        const loop = stack.slice(stack.indexOf(next)).map(rel);
        const start = loop.indexOf([...loop].sort()[0]);
        const rotated = [...loop.slice(start), ...loop.slice(0, start)];
        found.add([...rotated, rotated[0]].join(' -> '));
      } else if (!state.has(next)) {
        visit(next);
      }
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return [...found].sort();
}
