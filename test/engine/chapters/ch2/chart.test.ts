import { createGame, type OutputBlock } from '../../../../engine/index';

/**
 * `graph publish-latency` on the terminal hands the front end the chart's data beside its text
 * (a chart block after the spell's output); piped or redirected, it is text only.
 */
const charts = (blocks: OutputBlock[]) => blocks.filter((b): b is Extract<OutputBlock, { kind: 'chart' }> => b.kind === 'chart').map((b) => b.chart);
const printed = (blocks: OutputBlock[]) => blocks.filter((b) => b.kind === 'spell-output').map((b) => (b as { text: string }).text).join('');

describe('chapter 2: the latency chart as data', () => {
  const g = createGame('2', 11);
  g.start();

  it('on the terminal: the same publishes as the text, in ms, with its summary line and the text it replaces', () => {
    g.step('repeat 3 publish');
    const published = printed(g.step('publish'));
    const ms = Number(/ in (\d+\.\d\d)ms$/m.exec(published)![1]);
    const out = g.step('graph publish-latency');
    const text = printed(out);
    const [chart, ...more] = charts(out);
    expect(more).toEqual([]);
    expect(chart!.printed).toBe(text);
    expect(chart!.y).toEqual({ label: 'latency', unit: 'ms' });
    expect(chart!.series).toHaveLength(1);
    const values = chart!.series[0]!.values;
    expect(chart!.title).toBe(`publish latency, the last ${values.length} publishes`);
    expect(text.split('\n')[0]).toBe(`publish latency, the last ${values.length} publishes (oldest on the left, slowest of each column)`);
    // the publish just measured is among them, as `publish` printed it (the site publishes too)
    expect(values.map((v) => v.toFixed(2))).toContain(ms.toFixed(2));
    expect(chart!.summary).toEqual([text.trimEnd().split('\n').pop()]);
    const max = Math.max(...values);
    expect(chart!.summary[0]).toMatch(new RegExp(`max ${max.toFixed(2).replace('.', '\\.')} ms$`));
  });

  it('piped or redirected, it is only text', () => {
    expect(charts(g.step('graph publish-latency | cat'))).toEqual([]);
    expect(charts(g.step('graph publish-latency > /tmp/chart.txt'))).toEqual([]);
    expect(charts(g.step('graph nothing'))).toEqual([]);
  });
});
