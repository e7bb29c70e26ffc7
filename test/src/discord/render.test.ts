import type { OutputBlock } from '../../../engine/index';
import { codeBlock, escapeCodeBlock, escapeMarkdown } from '../../../src/discord/escape';
import { CONTENT_LIMIT, MAX_OUTPUT_MESSAGES, renderMessages, splitText } from '../../../src/discord/render';

const Z = '\u200b';
const owner = { scope: '222222222222222222', user: '500000000000000001' };

describe('escaping for Discord markdown', () => {
  it('makes mentions, masked links, code and emphasis inert in prose', () => {
    expect(escapeMarkdown('@everyone and @here')).toBe(`@${Z}everyone and @${Z}here`);
    expect(escapeMarkdown('hi <@123456789012345678> <@&1> <#2> </play:3>')).toBe('hi \\<@123456789012345678\\> \\<@&1\\> \\<\\#2\\> \\</play:3\\>');
    expect(escapeMarkdown('[free money](https://evil.example)')).toBe('\\[free money\\]\\(https://evil.example\\)');
    expect(escapeMarkdown('`x` ```y``` **b** __u__ ~~s~~ ||spoiler|| > quote # head')).toBe(
      '\\`x\\` \\`\\`\\`y\\`\\`\\` \\*\\*b\\*\\* \\_\\_u\\_\\_ \\~\\~s\\~\\~ \\|\\|spoiler\\|\\| \\> quote \\# head',
    );
    expect(escapeMarkdown('- item\n  - nested\nnot-a-list')).toBe('\\- item\n  \\- nested\nnot-a-list');
    expect(escapeMarkdown('a \\ b')).toBe('a \\\\ b');
  });

  it('in a code block, breaks up backtick runs so nothing can close the fence', () => {
    expect(escapeCodeBlock('a ``` b `` c ` d')).toBe(`a \`${Z}\`${Z}\` b \`${Z}\` c \` d`);
    expect(codeBlock('```\n@everyone')).toBe(`\`\`\`\n\`${Z}\`${Z}\`\n@everyone\n\`\`\``);
  });
});

describe('splitText', () => {
  it('splits at line ends, and inside a line only when the line alone is too long', () => {
    expect(splitText('aaaa\nbbbb\ncc', 9)).toEqual(['aaaa\nbbbb', 'cc']);
    expect(splitText('aaaaaaaaaaaa\nb', 5)).toEqual(['aaaaa', 'aaaaa', 'aa\nb']);
    expect(splitText('', 5)).toEqual(['']);
  });
});

describe('renderMessages', () => {
  it('puts output in a code block after the prompt and the line, and the story in embeds', () => {
    const blocks: OutputBlock[] = [
      { kind: 'spell-output', text: 'total 0\n' },
      { kind: 'narration', speaker: 'Odile', text: 'Look at *that*.' },
      { kind: 'narration', speaker: 'Odile', text: 'Again.' },
      { kind: 'objective', id: 'o', label: 'find the leak', status: 'done' },
    ];
    const [m, ...rest] = renderMessages(blocks, { echo: 'ops@ns2:~$ ls', owner });
    expect(rest).toEqual([]);
    expect(m!.content).toBe('```\nops@ns2:~$ ls\ntotal 0\n```');
    expect(m!.embeds).toEqual([
      { color: expect.any(Number), author: { name: 'Odile' }, description: 'Look at \\*that\\*.\n\nAgain.' },
      { color: expect.any(Number), title: 'Objectives', description: '✅ find the leak' },
    ]);
    expect(m!.components).toEqual([{ type: 1, components: [{ type: 2, style: 1, label: 'Cast', custom_id: `g1:cast:${owner.scope}.${owner.user}` }] }]);
  });

  it('shows status as a checklist', () => {
    const [m] = renderMessages([
      {
        kind: 'status',
        virtualTime: '1d 2h',
        solved: false,
        objectives: [
          { id: 'a', label: 'find it', status: 'done' },
          { id: 'b', label: 'fix it', status: 'holding', detail: '2d of 7d' },
          { id: 'c', label: 'keep it', status: 'pending' },
          { id: 'd', label: 'no wrong fix', status: 'failing' },
        ],
      },
    ]);
    expect(m!.embeds![0]).toEqual({ color: expect.any(Number), title: 'Objectives at 1d 2h', description: '✅ find it\n🟡 fix it (2d of 7d)\n⬜ keep it\n❌ no wrong fix' });
  });

  it('splits output over a few messages at line ends, each under 2000 characters, nothing lost', () => {
    const lines = Array.from({ length: 600 }, (_, i) => `line ${i + 1}`);
    const messages = renderMessages([{ kind: 'spell-output', text: lines.join('\n') + '\n' }], { owner });
    expect(messages.length).toBeGreaterThan(1);
    expect(messages.length).toBeLessThanOrEqual(MAX_OUTPUT_MESSAGES);
    for (const m of messages) expect(m.content!.length).toBeLessThanOrEqual(CONTENT_LIMIT);
    const back = messages.map((m) => /^```\n([\s\S]*)\n```$/.exec(m.content!)![1]).join('\n');
    expect(back).toBe(lines.join('\n'));
    // the buttons go under the last one only
    expect(messages.slice(0, -1).every((m) => m.components === undefined)).toBe(true);
    expect(messages[messages.length - 1]!.components).toHaveLength(1);
  });

  it('still fits when the output is all backticks (each gets a zero-width space)', () => {
    const messages = renderMessages([{ kind: 'spell-output', text: '`'.repeat(3000) }]);
    for (const m of messages) expect(m.content!.length).toBeLessThanOrEqual(CONTENT_LIMIT);
    expect(messages.map((m) => m.content!.slice(4, -4).replace(/\u200b/g, '')).join('')).toBe('`'.repeat(3000));
  });

  it('attaches output too long for a few messages as output.txt, with the start above it', () => {
    const text = Array.from({ length: 3000 }, (_, i) => `row ${i}`).join('\n') + '\n';
    const messages = renderMessages([{ kind: 'spell-output', text }, { kind: 'system', text: '2 minutes pass.' }], { echo: '$ seq', owner });
    expect(messages).toHaveLength(1);
    const m = messages[0]!;
    expect(m.files).toEqual([{ name: 'output.txt', data: Buffer.from('$ seq\n' + text), contentType: 'text/plain; charset=utf-8' }]);
    expect(m.content!.length).toBeLessThanOrEqual(CONTENT_LIMIT);
    expect(m.content).toMatch(/^```\n\$ seq\nrow 0\nrow 1\n/);
    expect(m.content!.endsWith('\n```\nThe output is 3001 lines, too long for messages: all of it is in output.txt.')).toBe(true);
    expect(m.embeds).toEqual([{ color: expect.any(Number), description: '2 minutes pass.' }]);
  });

  it('keeps embeds within Discord limits: 4096 a description, 6000 and 10 embeds a message', () => {
    const long = 'word '.repeat(2000);
    const blocks: OutputBlock[] = [{ kind: 'narration', text: long }, ...Array.from({ length: 12 }, (_, i): OutputBlock => ({ kind: 'hint', level: i + 1, total: 12, text: `hint ${i}` }))];
    const messages = renderMessages(blocks);
    for (const m of messages) {
      expect(m.embeds!.length).toBeLessThanOrEqual(10);
      const total = m.embeds!.reduce((n, e) => n + (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.author?.name.length ?? 0), 0);
      expect(total).toBeLessThanOrEqual(6000);
      for (const e of m.embeds!) expect((e.description ?? '').length).toBeLessThanOrEqual(4096);
    }
    expect(messages.flatMap((m) => m.embeds!).filter((e) => e.title?.startsWith('Hint '))).toHaveLength(12);
    expect(messages.flatMap((m) => m.embeds!).filter((e) => !e.title).map((e) => e.description).join(' ').replace(/\s+/g, ' ').trim()).toBe(long.trim());
  });

  it('gives choices buttons (at most 20, labels cut to 80 characters) above the Cast button', () => {
    const options = Array.from({ length: 23 }, (_, i) => ({ index: i + 1, text: i === 0 ? 'x'.repeat(200) : `reply ${i + 1}` }));
    const [m] = renderMessages([{ kind: 'choices', options }], { owner });
    const rows = m!.components!;
    expect(rows).toHaveLength(5);
    expect(rows.slice(0, 4).map((r) => r.components.length)).toEqual([5, 5, 5, 5]);
    expect(rows[0]!.components[0]!.label).toBe(`1. ${'x'.repeat(76)}…`);
    expect(rows[0]!.components[0]!.label!.length).toBe(80);
    expect(rows[3]!.components[4]!.custom_id).toBe(`g1:choose:${owner.scope}.${owner.user}:20`);
    expect(rows[4]!.components[0]!.label).toBe('Cast');
    expect(m!.embeds![0]!.description).toContain('23. reply 23');
  });
});
