import { EXIT } from '../options';
import { checkChapter, UnknownChapterError } from './checkChapter';
import { formatReport, reportOk } from './checklist';
import { newChapter } from './newChapter';
import { ownRoots } from './paths';

/** `grimoire new-chapter NAME`: 0 when written, 2 when the name is refused. */
export function runNewChapter(name: string): number {
  const roots = ownRoots();
  const r = newChapter(name, roots);
  if (!r.ok) {
    process.stderr.write(`grimoire: new-chapter: ${r.message}\n`);
    return EXIT.usage;
  }
  process.stdout.write(
    [
      `new chapter '${name}' (number ${r.number}), a copy of the example chapter to make your own:`,
      ...r.files.map((f) => `  ${f}`),
      `next: npm run build && grimoire check-chapter ${name}   (docs/write-a-chapter.md says what to change)`,
      '',
    ].join('\n'),
  );
  return EXIT.ok;
}

/** `grimoire check-chapter NAME`: 0 when every check passes, 1 when one fails, 2 for a chapter that does not exist. */
export function runCheckChapter(name: string): number {
  try {
    const report = checkChapter(name, ownRoots());
    process.stdout.write(formatReport(report));
    return reportOk(report) ? EXIT.ok : EXIT.notSolved;
  } catch (e) {
    if (!(e instanceof UnknownChapterError)) throw e;
    process.stderr.write(`grimoire: check-chapter: ${e.message}\n`);
    return EXIT.usage;
  }
}
