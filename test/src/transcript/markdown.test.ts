import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { OutputBlock } from '../../../engine/index';
import { escapeMarkdown, fenced, inlineCode, TRANSCRIPT_MARKER, TranscriptRecorder, writeTranscript } from '../../../src/transcript/markdown';

function recorder(): TranscriptRecorder {
  const r = new TranscriptRecorder({ chapter: { number: 1, title: 'The Disk That Lied', id: 'ch1' }, seed: 4242, startedAt: '2025-01-01T12:00:00.000Z' });
  r.opening(
    [
      { kind: 'title', text: 'Chapter 1: The Disk That Lied', subtitle: 'ns2, 03:12' },
      { kind: 'narration', speaker: 'Mara', text: 'The pager went off. *Again*.' },
      { kind: 'objective', id: 'o1', label: 'Keep DNS answering', status: 'pending' },
    ],
    '0s',
  );
  r.record({
    input: 'df -h',
    blocks: [
      { kind: 'spell-output', text: 'Filesystem      Size  Used Avail Use% Mounted on\n/dev/sda1        20G   20G     0 100% /\n' },
      { kind: 'spell-learned', name: 'df' },
    ],
    virtualTime: '1m 5s',
  });
  r.record({ input: 'cat /nope', blocks: [{ kind: 'error', text: 'cat: /nope: No such file or directory\n' }], virtualTime: '1m 9s' });
  r.record({
    input: 'hint',
    blocks: [{ kind: 'hint', level: 2, total: 6, text: 'Something is still holding the deleted file open.' }],
    virtualTime: '1m 9s',
  });
  r.record({
    input: "printf '```\\nnot the end\\n````\\n'",
    blocks: [{ kind: 'spell-output', text: '```\nnot the end\n````\n' }],
    virtualTime: '2m',
  });
  r.record({
    input: 'status',
    blocks: [
      {
        kind: 'status',
        solved: false,
        virtualTime: '2m',
        objectives: [
          { id: 'o1', label: 'Keep DNS answering', status: 'holding', detail: 'answers in 12 ms' },
          { id: 'o2', label: 'Free the disk', status: 'done' },
        ],
      },
      { kind: 'journal', id: 'j1', text: 'Deleted files stay on disk while a process holds them open.' },
      { kind: 'objective', id: 'o2', label: 'Free the disk', status: 'done', detail: '40% used' },
      { kind: 'system', text: 'Two hours pass.' },
      { kind: 'narration', text: '# not a heading\n- not a list' },
      { kind: 'choices', prompt: 'Ask Mara about', options: [{ index: 1, text: 'the logs' }, { index: 2, text: 'lunch' }] },
      { kind: 'chapter-end', chapter: 'ch1', solved: true },
    ],
    virtualTime: '2h 2m',
  });
  return r;
}

describe('TranscriptRecorder.toMarkdown', () => {
  const md = (() => {
    const r = recorder();
    r.finish({ chapter: 'ch1', solved: true, hints: 2, spells: 5, virtualTime: '2h 2m' });
    return r.toMarkdown();
  })();

  it('has a title and a metadata table, after the marker line that makes it a grimoire transcript', () => {
    expect(md.startsWith(`${TRANSCRIPT_MARKER}\n# The Grimoire: Chapter 1, The Disk That Lied\n`)).toBe(true);
    expect(TRANSCRIPT_MARKER).toMatch(/^<!-- grimoire transcript: .* -->$/);
    expect(md).toContain('| Chapter | 1: The Disk That Lied (ch1) |');
    expect(md).toContain('| Seed | 4242 |');
    expect(md).toContain('| Started | 2025-01-01T12:00:00.000Z |');
    expect(md).toContain('| Result | solved |');
  });

  it('shows every input as a $ line with its output in a text fence', () => {
    expect(md).toContain('```text\n$ df -h\nFilesystem      Size  Used Avail Use% Mounted on\n/dev/sda1        20G   20G     0 100% /\n```');
    expect(md).toContain('```text\n$ cat /nope\ncat: /nope: No such file or directory\n```');
    for (const input of ['df -h', 'cat /nope', 'hint', 'status']) expect(md).toContain(`\n$ ${input}\n`);
  });

  it('fences output containing backticks with a longer fence, so it cannot close early', () => {
    expect(md).toContain("`````text\n$ printf '```\\nnot the end\\n````\\n'\n```\nnot the end\n````\n`````");
  });

  it('marks hints, bolds speakers, bullets objectives and journal entries', () => {
    expect(md).toContain('> 💡 **Hint 2/6:** Something is still holding the deleted file open.');
    expect(md).toContain('> **Mara:** The pager went off. \\*Again\\*.');
    expect(md).toContain('- **Objective:** Keep DNS answering → *pending*');
    expect(md).toContain('- **Journal:** Deleted files stay on disk while a process holds them open.\n- **Objective:** Free the disk → *done* (40% used)');
    expect(md).toContain('- [ ] Keep DNS answering (holding) — answers in 12 ms\n- [x] Free the disk');
    expect(md).toContain('*Two hours pass.*');
    expect(md).toContain('1. the logs\n2. lunch');
    expect(md).toContain('### Chapter 1: The Disk That Lied\n\n*ns2, 03:12*');
  });

  it('notes a newly learned spell as a bullet after its output, with the man page to read', () => {
    expect(md).toContain('/dev/sda1        20G   20G     0 100% /\n```\n\n- **✦ New spell:** `df` (`man df` explains it)\n\n');
  });

  it('keeps an odd spell name inside its code span', () => {
    const r = new TranscriptRecorder({ chapter: { number: 2, title: 'T' }, seed: 1, startedAt: '2025-01-01T00:00:00.000Z' });
    r.record({ input: '[ 1 ]', blocks: [{ kind: 'spell-learned', name: '[' }, { kind: 'spell-learned', name: 'a`b' }], virtualTime: '1s' });
    expect(r.toMarkdown()).toContain('- **✦ New spell:** `[` (`man [` explains it)\n- **✦ New spell:** ``a`b`` (``man a`b`` explains it)');
  });

  it('escapes narration so it cannot turn into headings or lists', () => {
    expect(md).toContain('\\# not a heading\n\\- not a list');
  });

  it('shows the virtual time when it moves', () => {
    expect(md).toContain('*⏱ 1m 5s*');
    expect(md.match(/⏱ 1m 9s/g)).toHaveLength(1);
    expect(md).toContain('*⏱ 2h 2m*');
  });

  it('ends with the summary', () => {
    expect(md.trimEnd().endsWith('## Summary\n\n- **Solved:** yes\n- **Hints used:** 2\n- **Spells cast:** 5\n- **Virtual time:** 2h 2m')).toBe(true);
  });

  it('summarises an unfinished run from what was recorded', () => {
    const text = recorder().toMarkdown();
    expect(text).toContain('| Result | unfinished |');
    expect(text).toContain('- **Solved:** no, the run was not finished\n- **Hints used:** 1\n- **Spells cast:** 5\n- **Virtual time:** 2h 2m');
  });

  it('records copies: changing a block after recording does not change the transcript', () => {
    const r = new TranscriptRecorder({ chapter: { number: 2, title: 'T' }, seed: 1, startedAt: '2025-01-01T00:00:00.000Z' });
    const blocks: OutputBlock[] = [{ kind: 'spell-output', text: 'before\n' }];
    r.record({ input: 'x', blocks, virtualTime: '1s' });
    (blocks[0] as { text: string }).text = 'after\n';
    expect(r.toMarkdown()).toContain('before');
    expect(r.toMarkdown()).not.toContain('after');
  });

  it('round-trips through JSON', () => {
    const r = recorder();
    r.finish({ chapter: 'ch1', solved: false, hints: 0, spells: 5, virtualTime: '2h 2m' });
    const again = TranscriptRecorder.fromJSON(JSON.parse(JSON.stringify(r.toJSON())));
    expect(again.toMarkdown()).toBe(r.toMarkdown());
    expect(again.toMarkdown()).toContain('| Result | not solved |');
  });
});

describe('helpers', () => {
  it('fenced() always outgrows the longest backtick run', () => {
    expect(fenced('plain')).toBe('```text\nplain\n```');
    expect(fenced('a ```` b')).toBe('`````text\na ```` b\n`````');
  });
  it('inlineCode() always outgrows the backtick runs inside', () => {
    expect(inlineCode('grep')).toBe('`grep`');
    expect(inlineCode('a``b')).toBe('```a``b```');
    expect(inlineCode('`x')).toBe('`` `x ``');
    expect(inlineCode('two\nlines')).toBe('`two lines`');
  });
  it('escapeMarkdown neutralises emphasis, links, html and line starts', () => {
    expect(escapeMarkdown('*a* _b_ [c](d) <e> `f` | g')).toBe('\\*a\\* \\_b\\_ \\[c\\](d) \\<e\\> \\`f\\` \\| g');
    expect(escapeMarkdown('1. x\n+ y\n> z')).toBe('1\\. x\n\\+ y\n\\> z');
  });
});

describe('writeTranscript', () => {
  it('writes the file atomically, leaving no temp file', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'grimoire-transcript-'));
    try {
      const file = path.join(dir, 'run.md');
      await writeTranscript(file, `${TRANSCRIPT_MARKER}\n# one\n`);
      await writeTranscript(file, `${TRANSCRIPT_MARKER}\n# two\n`);
      expect(readFileSync(file, 'utf8')).toBe(`${TRANSCRIPT_MARKER}\n# two\n`);
      expect(readdirSync(dir)).toEqual(['run.md']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
