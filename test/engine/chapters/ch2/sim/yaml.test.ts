import { parseYaml, type YamlResult } from '../../../../../engine/chapters/ch2/sim/yaml';

/** Psych's message for a refused document: "<problem> <context> at line L column C" */
function psych(r: YamlResult): string {
  if (r.ok) return 'ok';
  if ('unsupported' in r) return `unsupported: ${r.unsupported}`;
  return `${[r.error.problem, r.error.context].filter(Boolean).join(' ')} at line ${r.error.line} column ${r.error.column}`;
}

describe('the YAML the publisher reads, as Psych 1.3 (libyaml 0.1.4) reads it', () => {
  it('reads the shipped config: a flat mapping of plain scalars, typed the way Psych types them', () => {
    const r = parseYaml('# comment\nnsqd_url: http://127.0.0.1:4151\ntopic: events\npool_size: 1\ntcp_nodelay: yes # on\nsingle_write: Off\nnothing:\nquoted: "true"\n');
    expect(r).toEqual({
      ok: true,
      value: {
        t: 'map',
        entries: [
          ['nsqd_url', { t: 'str', v: 'http://127.0.0.1:4151' }],
          ['topic', { t: 'str', v: 'events' }],
          ['pool_size', { t: 'int', v: 1 }],
          ['tcp_nodelay', { t: 'bool', v: true }],
          ['single_write', { t: 'bool', v: false }],
          ['nothing', { t: 'null' }],
          ['quoted', { t: 'str', v: 'true' }],
        ],
      },
    });
  });

  it('reads nested mappings, sequences, flow collections and quoted scalars', () => {
    const r = parseYaml("pool_size:\n  a: 1\n  b: [1, 2]\nlist:\n- x\n- 'it''s'\nk: \"a\\tb\"\n");
    expect(r).toEqual({
      ok: true,
      value: {
        t: 'map',
        entries: [
          ['pool_size', { t: 'map', entries: [['a', { t: 'int', v: 1 }], ['b', { t: 'seq', items: [{ t: 'int', v: 1 }, { t: 'int', v: 2 }] }]] }],
          ['list', { t: 'seq', items: [{ t: 'str', v: 'x' }, { t: 'str', v: "it's" }] }],
          ['k', { t: 'str', v: 'a\tb' }],
        ],
      },
    });
    expect(parseYaml('# nothing but a comment\n')).toEqual({ ok: true, value: null });
    expect(parseYaml('pool_size: 1\n  more words\n')).toEqual({ ok: true, value: { t: 'map', entries: [['pool_size', { t: 'str', v: '1 more words' }]] } });
  });

  it.each([
    ['a key without its colon', 'topic: events\npool_size: 1\ntcp_nodelay true\n', "could not find expected ':' while scanning a simple key at line 3 column 1"],
    ['a colon with no blank after it', 'topic: events\ntcp_nodelay:true\n', "could not find expected ':' while scanning a simple key at line 2 column 1"],
    ['a key indented under a plain value', 'topic: events\npool_size: 1\n  tcp_nodelay: true\n', 'mapping values are not allowed in this context at line 3 column 14'],
    ['a key indented under a quoted value', 'topic: "events"\n  pool_size: 1\n', 'did not find expected key while parsing a block mapping at line 1 column 1'],
    ['a quote that never closes', 'topic: "events\npool_size: 1\n', 'found unexpected end of stream while scanning a quoted scalar at line 1 column 8'],
    ['a tab that indents a line', 'topic: events\n\ttcp_nodelay: true\n', 'found character that cannot start any token while scanning for the next token at line 2 column 1'],
    ['a tab after the colon', 'topic: events\ntcp_nodelay:\ttrue\n', 'found character that cannot start any token while scanning for the next token at line 2 column 13'],
    ['a flow sequence left open', 'topic: [a, b\n', "did not find expected ',' or ']' while parsing a flow sequence at line 1 column 8"],
    ['two colons on a line', 'a: b: c\n', 'mapping values are not allowed in this context at line 1 column 5'],
    ['a scalar then a mapping', 'foo\nbar: baz\n', 'mapping values are not allowed in this context at line 2 column 4'],
  ])('refuses %s with libyaml’s words and Psych’s position', (_what, text, message) => {
    expect(psych(parseYaml(text))).toBe(message);
  });

  it('says plainly what it does not read', () => {
    expect(psych(parseYaml('a: &x 1\nb: *x\n'))).toMatch(/^unsupported: anchors, tags and block scalars \(line 1\)$/);
  });
});
