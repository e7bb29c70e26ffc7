import { PNG } from 'pngjs';
import type { Chart, OutputBlock } from '../../../engine/index';
import { CHART_HEIGHT, CHART_WIDTH, COLOURS, PLOT, columnsOf, drawChart, niceCeil, scaleLabel } from '../../../src/discord/chartImage';
import { renderMessages } from '../../../src/discord/render';
import { APP, cast, codeOf, slash, startBot } from './bot.helpers';
import type { StubRequest } from './helpers';

/** Charts on Discord: the data of a chart block drawn as a PNG, attached under an embed in place of its text. */
const PRINTED = 'latency chart\n  ### \n +---\n\nmedian 1.00 ms   p99 9.00 ms   max 9.00 ms\n';
const chart = (values: number[], extra: Partial<Chart> = {}): Chart => ({
  title: 'publish latency, the last 4 publishes',
  x: { label: 'publishes, oldest first' },
  y: { label: 'latency', unit: 'ms' },
  series: [{ label: 'publish latency', values }],
  summary: ['median 1.00 ms   p99 9.00 ms   max 9.00 ms'],
  printed: PRINTED,
  ...extra,
});

const pixel = (png: PNG, x: number, y: number): number[] => {
  const i = (y * png.width + x) * 4;
  return [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
};

describe('the chart image', () => {
  it('rounds the scale up to 1, 2 or 5 times a power of ten, and labels it briefly', () => {
    expect([0.3, 1, 1.01, 2.5, 7, 10, 12, 480, 0].map(niceCeil)).toEqual([0.5, 1, 2, 5, 10, 10, 20, 500, 1]);
    expect([0, 2.5, 10, 0.125, 1250, 12_000_000].map(scaleLabel)).toEqual(['0', '2.5', '10', '0.125', '1250', '1e7']);
  });

  it('gives each pixel column the largest value of its slice, and a value several columns when there are few', () => {
    expect(columnsOf([1, 5, 2, 8], 2)).toEqual([5, 8]);
    expect(columnsOf([3, 7], 4)).toEqual([3, 3, 7, 7]);
    expect(columnsOf([], 3)).toEqual([null, null, null]);
    expect(columnsOf([NaN, 2, Infinity, 1], 2)).toEqual([2, 1]);
  });

  it('is a PNG of the chart: a bar per value, as high as the value on a scale from 0', () => {
    // two values on a scale of 0 to 10: the left half of the plot reaches halfway up, the right half to the top
    const png = PNG.sync.read(drawChart(chart([5, 10])));
    expect([png.width, png.height]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
    const bar = [...COLOURS.series[0]];
    const plotH = PLOT.bottom - PLOT.top;
    const quarter = PLOT.left + Math.floor((PLOT.right - PLOT.left) / 4);
    const threeQuarters = PLOT.left + Math.floor(((PLOT.right - PLOT.left) * 3) / 4);
    expect(pixel(png, quarter, PLOT.bottom - Math.floor(plotH / 4))).toEqual(bar);
    expect(pixel(png, quarter, PLOT.bottom - Math.floor((plotH * 7) / 10))).toEqual([...COLOURS.background]);
    expect(pixel(png, threeQuarters, PLOT.top + 2)).toEqual(bar);
    // the scale's labels are drawn left of the plot
    let ink = 0;
    for (let y = PLOT.top - 8; y < PLOT.top + 8; y++) for (let x = 0; x < PLOT.left; x++) if (pixel(png, x, y).join() === [...COLOURS.text].join()) ink++;
    expect(ink).toBeGreaterThan(10);
  });

  it('draws whatever the data: empty, negative, not finite, huge', () => {
    for (const values of [[], [-3, 4], [NaN, Infinity, -Infinity], [1e300, 1e-300], Array.from({ length: 100_000 }, (_, i) => i % 97)]) {
      const png = PNG.sync.read(drawChart(chart(values)));
      expect(png.width).toBe(CHART_WIDTH);
    }
  });
});

describe('a chart block in a reply', () => {
  const blocks: OutputBlock[] = [
    { kind: 'spell-output', text: PRINTED },
    { kind: 'chart', chart: chart([1, 1, 9, 1]) },
  ];

  it('becomes an embed showing the attached image, in place of the chart as text', () => {
    const [m, ...more] = renderMessages(blocks, { echo: '$ graph publish-latency' });
    expect(more).toEqual([]);
    expect(codeOf(m!.content!)).toBe('$ graph publish-latency');
    expect(m!.embeds).toEqual([
      {
        color: expect.any(Number),
        title: 'publish latency, the last 4 publishes',
        description: 'median 1.00 ms   p99 9.00 ms   max 9.00 ms\nlatency in ms; publishes, oldest first',
        image: { url: 'attachment://chart-1.png' },
      },
    ]);
    expect(m!.files!.map((f) => [f.name, f.contentType])).toEqual([['chart-1.png', 'image/png']]);
    expect(PNG.sync.read(m!.files![0]!.data).width).toBe(CHART_WIDTH);
  });

  it('keeps the output around the chart, and escapes the words in its embed', () => {
    const [m] = renderMessages([{ kind: 'spell-output', text: `before\n${PRINTED}after\n` }, { kind: 'chart', chart: chart([1], { title: '@everyone *bold*', summary: ['<@123>'] }) }]);
    expect(codeOf(m!.content!)).toBe('before\nafter');
    expect(m!.embeds![0]!.title).toBe('@everyone *bold*'.slice(0, 256));
    expect(m!.embeds![0]!.description!.split('\n')[0]).toBe('\\<@123\\>');
  });

  it(`draws at most a few charts a reply; the rest stay text`, () => {
    const many: OutputBlock[] = [];
    for (let n = 0; n < 6; n++) many.push({ kind: 'spell-output', text: PRINTED }, { kind: 'chart', chart: chart([n + 1]) });
    const files = renderMessages(many).flatMap((m) => m.files ?? []);
    expect(files.map((f) => f.name)).toEqual(['chart-1.png', 'chart-2.png', 'chart-3.png', 'chart-4.png']);
    const text = renderMessages(many).map((m) => m.content ?? '').join('\n');
    expect(text.split('median 1.00 ms').length - 1).toBe(2);
  });
});

describe('graph publish-latency on Discord', () => {
  it('is answered through the webhook with the chart as a PNG attachment under its embed', async () => {
    const bot = await startBot();
    try {
      const PLAYER = '610000000000000001';
      expect((await bot.send(slash(PLAYER, 'play', [{ name: 'chapter', type: 4, value: 2 }]))).status).toBe(200);
      await bot.send(cast(PLAYER, 'publish'));
      const i = cast(PLAYER, 'graph publish-latency');
      const r = await bot.send(i);
      // files go through the webhook: the answer is deferred, then the original is edited
      expect(r.body).toEqual({ type: 5, data: { flags: 64 } });
      const edited = (q: StubRequest) => q.url === `/api/v10/webhooks/${APP}/${i.token}/messages/@original`;
      const until = Date.now() + 30_000;
      while (!bot.stub.requests.some(edited) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
      const edit = bot.stub.requests.find(edited)!;
      const form = await new Response(edit.body, { headers: { 'content-type': String(edit.headers['content-type']) } }).formData();
      const payload = JSON.parse(await (form.get('payload_json') as Blob).text()) as Record<string, any>;
      expect(payload.attachments).toEqual([{ id: 0, filename: 'chart-1.png' }]);
      expect(payload.allowed_mentions).toEqual({ parse: [] });
      expect(codeOf(payload.content).split('\n')).toEqual([expect.stringMatching(/\$ graph publish-latency$/)]);
      const embed = payload.embeds.find((e: { image?: unknown }) => e.image);
      expect(embed.image).toEqual({ url: 'attachment://chart-1.png' });
      expect(embed.title).toMatch(/^publish latency, the last \d+ publishes$/);
      expect(embed.description).toMatch(/^median \d+\.\d\d ms {3}p99 \d+\.\d\d ms {3}max \d+\.\d\d ms\nlatency in ms; publishes, oldest first$/);
      const file = form.get('files[0]') as File;
      expect(file.name).toBe('chart-1.png');
      expect(file.type).toBe('image/png');
      const png = PNG.sync.read(Buffer.from(await file.arrayBuffer()));
      expect([png.width, png.height]).toEqual([CHART_WIDTH, CHART_HEIGHT]);

      // piped, it is text, answered at once
      const piped = await bot.send(cast(PLAYER, 'graph publish-latency | head -n 1'));
      expect(piped.body!.type).toBe(4);
      expect(codeOf(piped.body!.data!.content).split('\n')[1]).toMatch(/^publish latency, the last \d+ publishes \(oldest on the left, slowest of each column\)$/);
    } finally {
      await bot.close();
    }
  }, 60_000);
});
