import { fail, formatReport, pass, reportOk } from '../../../src/authoring/checklist';

describe('the checklist', () => {
  it('prints one line per check, with the reason under a failure, and a count', () => {
    const r = { chapter: 'disk-full', items: [pass('the story compiles with no warnings', 'story/disk-full.ink'), fail('the hint ladder ends in the answer', 'hint 4 of 4 does not contain: x\nit says: y')] };
    expect(formatReport(r)).toBe(
      [
        'check-chapter disk-full',
        '  [ok] the story compiles with no warnings (story/disk-full.ink)',
        '  [FAIL] the hint ladder ends in the answer',
        '         hint 4 of 4 does not contain: x',
        '         it says: y',
        '1 of 2 checks failed',
        '',
      ].join('\n'),
    );
    expect(reportOk(r)).toBe(false);
  });

  it('is not ok with nothing checked', () => {
    expect(reportOk({ chapter: 'x', items: [] })).toBe(false);
    expect(reportOk({ chapter: 'x', items: [pass('a')] })).toBe(true);
  });
});
