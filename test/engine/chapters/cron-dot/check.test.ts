import { join } from 'node:path';
import { checkChapter } from '../../../../src/authoring/checkChapter';

/**
 * The example chapter (a team's postmortem turned into a chapter, docs/write-a-chapter.md) passes
 * `grimoire check-chapter cron-dot`, so CI keeps it working. Under jest the chapter's TypeScript is
 * checked; the story is the one `npm run build` compiled.
 */
const ROOT = join(__dirname, '..', '..', '..', '..');

it('passes check-chapter', () => {
  const report = checkChapter('cron-dot', { sourceRoot: ROOT, codeRoot: ROOT });
  expect(report.items.filter((i) => !i.ok).map((i) => `${i.title}: ${i.reason}`)).toEqual([]);
  expect(report.items.length).toBeGreaterThanOrEqual(10);
});
