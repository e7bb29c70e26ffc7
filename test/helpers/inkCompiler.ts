import * as path from 'node:path';

/** The build's ink compiler (scripts/compile-ink.js), loaded as the build runs it, and where the stories live. */
export const ROOT = path.resolve(__dirname, '..', '..');
export const STORY_DIR = path.join(ROOT, 'story');
export const CH1_INK = path.join(STORY_DIR, 'ch1.ink');

export interface CompileResult {
  name: string;
  file: string;
  json: string | null;
  hash: string | null;
  errors: string[];
  warnings: string[];
  authorMessages: string[];
  messages: string[];
}

export interface CompileInkModule {
  compileInk(file: string, opts?: { dirLabel?: string }): CompileResult;
  compileAll(opts?: { storyDir?: string; outDir?: string; write?: boolean }): {
    ok: boolean;
    results: CompileResult[];
    versions: Record<string, string>;
  };
  storyFiles(storyDir?: string): string[];
  storyHash(json: string): string;
}

// scripts/compile-ink.js is plain CommonJS run by `npm run build`; load it the same way.
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const compiler: CompileInkModule = require('../../scripts/compile-ink.js');
