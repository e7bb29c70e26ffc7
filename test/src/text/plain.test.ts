import type { OutputBlock } from '../../../engine/index';
import { blocksToPlainText, statusMark } from '../../../src/text/plain';

/** The plain-text flattening script mode prints; its wording is a contract graders read. */
describe('blocksToPlainText', () => {
  it('prints a newly learned spell exactly as the game always has', () => {
    expect(blocksToPlainText([{ kind: 'spell-learned', name: 'slabtop' }])).toBe(
      '✦ The grimoire inks a new spell into its margins: slabtop (man slabtop)',
    );
  });

  it('puts each block on its own lines, in order', () => {
    const blocks: OutputBlock[] = [
      { kind: 'spell-output', text: 'ok\n' },
      { kind: 'spell-learned', name: 'free' },
      { kind: 'spell-learned', name: 'ps' },
      { kind: 'system', text: 'Two hours pass.' },
      { kind: 'status', virtualTime: '2h', solved: false, objectives: [{ id: 'a', label: 'Fix it', status: 'holding', detail: 'for now' }] },
      { kind: 'chapter-end', chapter: '1', solved: false },
    ];
    expect(blocksToPlainText(blocks)).toBe(
      [
        'ok',
        '✦ The grimoire inks a new spell into its margins: free (man free)',
        '✦ The grimoire inks a new spell into its margins: ps (man ps)',
        'Two hours pass.',
        'Objectives at 2h:',
        '  [~] Fix it (for now)',
        '*** Chapter 1 ends ***',
      ].join('\n'),
    );
  });

  it('marks objectives in the status list', () => {
    expect(['done', 'holding', 'failing', 'pending'].map((s) => statusMark(s as 'done'))).toEqual(['x', '~', '!', ' ']);
  });
});
