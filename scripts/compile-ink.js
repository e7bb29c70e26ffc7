#!/usr/bin/env node
'use strict';
/**
 * Compiles every top-level ink story in story/ into generated/story/<name>.json and writes
 * generated/story/versions.json (story name -> first 12 hex digits of the sha256 of its JSON).
 *
 * A top-level story is any story/*.ink whose name does not start with '_'; files starting with
 * '_' are only meant to be INCLUDEd by other stories and are never compiled on their own.
 *
 * Any compiler error, warning or author note (TODO:) fails the build: each is printed as
 * `story/<file>.ink:<line>: <KIND>: <message>` and the script exits 1 without writing anything.
 *
 * It also writes generated/chapters.json, the chapters under engine/chapters/ that are not the
 * book's (see teamChapterDirs), for engine/chapters/registry.ts.
 *
 * Run by `npm run build` (before tsc). Also usable as a library: see module.exports.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { Compiler, CompilerOptions } = require('inkjs/compiler/Compiler');
const { PosixFileHandler } = require('inkjs/compiler/FileHandler/PosixFileHandler');

const ROOT = path.resolve(__dirname, '..');
const DEFAULT_STORY_DIR = path.join(ROOT, 'story');
const DEFAULT_OUT_DIR = path.join(ROOT, 'generated', 'story');
const BOM = '\ufeff';
// inkjs ErrorType: Author = 0, Warning = 1, Error = 2
const KIND_BY_TYPE = { 0: 'TODO', 1: 'WARNING', 2: 'ERROR' };

function stripBom(text) {
  return text.startsWith(BOM) ? text.slice(BOM.length) : text;
}

/** sha256 of the compiled JSON, first 12 hex digits: names the story version in saves. */
function storyHash(json) {
  return crypto.createHash('sha256').update(json, 'utf8').digest('hex').slice(0, 12);
}

/** Rewrites inkjs's "ERROR: 'ch1.ink' line 12: msg" as "story/ch1.ink:12: ERROR: msg". */
function formatMessage(message, type, dirLabel) {
  const kind = KIND_BY_TYPE[type] || 'ERROR';
  const m = /^(?:ERROR|WARNING|TODO|RUNTIME ERROR|RUNTIME WARNING):\s*'([^']+)' line (\d+):\s*([\s\S]*)$/.exec(message);
  if (m) return `${dirLabel ? `${dirLabel}/` : ''}${m[1]}:${m[2]}: ${kind}: ${m[3]}`;
  return `${kind}: ${message.replace(/^(ERROR|WARNING|TODO):\s*/, '')}`;
}

/**
 * Compiles one ink file. INCLUDEs resolve relative to the file's folder.
 * @param {string} file path to a .ink file
 * @param {{ dirLabel?: string }} [opts] dirLabel prefixes file names in messages (default: the
 *   file's folder relative to the current directory)
 * @returns {{ name: string, file: string, json: string | null, hash: string | null,
 *   errors: string[], warnings: string[], authorMessages: string[], messages: string[] }}
 *   json is null when there was any error; messages are all problems, formatted, in order.
 */
function compileInk(file, opts = {}) {
  const abs = path.resolve(file);
  const dir = path.dirname(abs);
  const base = path.basename(abs);
  const dirLabel = opts.dirLabel !== undefined ? opts.dirLabel : path.relative(process.cwd(), dir) || '.';
  const errors = [];
  const warnings = [];
  const authorMessages = [];
  const messages = [];
  const onError = (message, type) => {
    const line = formatMessage(message, type, dirLabel);
    if (type === 2) errors.push(line);
    else if (type === 1) warnings.push(line);
    else authorMessages.push(line);
    messages.push(line);
  };
  const source = stripBom(fs.readFileSync(abs, 'utf8'));
  const compiler = new Compiler(source, new CompilerOptions(base, [], false, onError, new PosixFileHandler(dir)));
  let json = null;
  try {
    const story = compiler.Compile();
    json = errors.length === 0 && story ? stripBom(String(story.ToJson())) : null;
  } catch (e) {
    // inkjs throws "Compilation failed." after reporting the errors through onError
    if (!(e instanceof Error) || e.message !== 'Compilation failed.' || errors.length === 0) {
      onError(`'${base}' line 0: compiler crashed: ${e instanceof Error ? e.message : String(e)}`, 2);
    }
    json = null;
  }
  const name = base.replace(/\.ink$/, '');
  return { name, file: abs, json, hash: json === null ? null : storyHash(json), errors, warnings, authorMessages, messages };
}

/** The top-level stories in a folder: *.ink not starting with '_', sorted by name. */
function storyFiles(storyDir = DEFAULT_STORY_DIR) {
  if (!fs.existsSync(storyDir)) return [];
  return fs
    .readdirSync(storyDir)
    .filter((f) => f.endsWith('.ink') && !f.startsWith('_'))
    .sort()
    .map((f) => path.join(storyDir, f));
}

/**
 * Compiles every top-level story. Writes outputs only when every story compiled with no error,
 * warning or author note.
 * @returns {{ ok: boolean, results: ReturnType<typeof compileInk>[], versions: Record<string, string> }}
 */
function compileAll({ storyDir = DEFAULT_STORY_DIR, outDir = DEFAULT_OUT_DIR, write = true } = {}) {
  const dirLabel = path.relative(process.cwd(), storyDir) || '.';
  const results = storyFiles(storyDir).map((f) => compileInk(f, { dirLabel }));
  const ok = results.every((r) => r.json !== null && r.messages.length === 0);
  const versions = {};
  for (const r of results) if (r.hash) versions[r.name] = r.hash;
  if (ok && write) {
    fs.mkdirSync(outDir, { recursive: true });
    for (const r of results) fs.writeFileSync(path.join(outDir, `${r.name}.json`), r.json);
    fs.writeFileSync(path.join(outDir, 'versions.json'), `${JSON.stringify(versions, null, 2)}\n`);
  }
  return { ok, results, versions };
}

const DEFAULT_CHAPTERS_DIR = path.join(ROOT, 'engine', 'chapters');
const DEFAULT_CHAPTER_LIST = path.join(ROOT, 'generated', 'chapters.json');

/**
 * The chapters that are not the book's: folders under engine/chapters/ with a meta.ts and an
 * index.ts whose names are not the book's own (ch1, ch2, ...: those are listed by hand in
 * engine/chapters/registry.ts). The registry reads the list this writes, so a team's chapter
 * appears in `grimoire chapters` and the title screen without editing the registry.
 */
function teamChapterDirs(chaptersDir = DEFAULT_CHAPTERS_DIR) {
  if (!fs.existsSync(chaptersDir)) return [];
  return fs
    .readdirSync(chaptersDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^[a-z][a-z0-9-]*$/.test(d.name) && !/^ch\d+$/.test(d.name))
    .filter((d) => ['meta.ts', 'index.ts'].every((f) => fs.existsSync(path.join(chaptersDir, d.name, f))))
    .map((d) => d.name)
    .sort();
}

function writeChapterList({ chaptersDir = DEFAULT_CHAPTERS_DIR, out = DEFAULT_CHAPTER_LIST } = {}) {
  const dirs = teamChapterDirs(chaptersDir);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify({ chapters: dirs.map((dir) => ({ dir })) }, null, 2)}\n`);
  return dirs;
}

function main() {
  const started = process.hrtime.bigint();
  const { ok, results } = compileAll();
  for (const r of results) for (const m of r.messages) process.stderr.write(`${m}\n`);
  const ms = Number((process.hrtime.bigint() - started) / 1000000n);
  if (!ok) {
    const n = results.reduce((a, r) => a + r.messages.length, 0);
    process.stderr.write(`compile-ink: ${n} problem(s); nothing written\n`);
    process.exit(1);
  }
  const names = results.map((r) => `${r.name} (${r.hash})`).join(', ') || 'no stories';
  const teams = writeChapterList();
  process.stdout.write(`compile-ink: ${names} in ${ms} ms${teams.length ? `; other chapters: ${teams.join(', ')}` : ''}\n`);
}

module.exports = { compileInk, compileAll, storyFiles, storyHash, formatMessage, teamChapterDirs, writeChapterList };

if (require.main === module) main();
