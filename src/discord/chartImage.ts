import { crc32, deflateSync } from 'node:zlib';
import type { Chart } from '../../engine/index';

/**
 * A chart block drawn as a PNG for Discord, from the same data the terminal's text chart is made
 * of: one bar per column of pixels (the largest value of the slice it covers, as the text chart
 * takes the slowest publish of each column), a zero line, and the scale's values on the left in a
 * small pixel font. Titles, units and the summary go in the message's embed, where Discord sets
 * them in its own font. Pure: data in, bytes out.
 */
export const CHART_WIDTH = 720;
export const CHART_HEIGHT = 320;
/** the plot area inside the image: left of it the scale, around it a margin */
export const PLOT = { left: 64, top: 16, right: CHART_WIDTH - 16, bottom: CHART_HEIGHT - 24 } as const;
/** lines across the plot at these fractions of the scale */
const GRID_STEPS = 4;

type Rgb = readonly [number, number, number];
export const COLOURS = {
  background: [0xff, 0xff, 0xff],
  grid: [0xdd, 0xdd, 0xdd],
  axis: [0x33, 0x33, 0x33],
  text: [0x33, 0x33, 0x33],
  series: [
    [0x2d, 0x4b, 0x8e],
    [0xe0, 0xa5, 0x26],
    [0x3b, 0x8d, 0x4f],
    [0x7b, 0x5e, 0xa7],
  ],
} as const satisfies { background: Rgb; grid: Rgb; axis: Rgb; text: Rgb; series: readonly Rgb[] };

/** 5x7 glyphs, a row a string: what a scale needs */
const GLYPHS: Record<string, readonly string[]> = {
  '0': ['01110', '10001', '10011', '10101', '11001', '10001', '01110'],
  '1': ['00100', '01100', '00100', '00100', '00100', '00100', '01110'],
  '2': ['01110', '10001', '00001', '00010', '00100', '01000', '11111'],
  '3': ['11111', '00010', '00100', '00010', '00001', '10001', '01110'],
  '4': ['00010', '00110', '01010', '10010', '11111', '00010', '00010'],
  '5': ['11111', '10000', '11110', '00001', '00001', '10001', '01110'],
  '6': ['00110', '01000', '10000', '11110', '10001', '10001', '01110'],
  '7': ['11111', '00001', '00010', '00100', '01000', '01000', '01000'],
  '8': ['01110', '10001', '10001', '01110', '10001', '10001', '01110'],
  '9': ['01110', '10001', '10001', '01111', '00001', '00010', '01100'],
  '.': ['00000', '00000', '00000', '00000', '00000', '01100', '01100'],
  '-': ['00000', '00000', '00000', '11111', '00000', '00000', '00000'],
  e: ['00000', '00000', '01110', '10001', '11111', '10000', '01110'],
  '+': ['00000', '00100', '00100', '11111', '00100', '00100', '00000'],
};
const GLYPH_SCALE = 2;
const GLYPH_ADVANCE = 6 * GLYPH_SCALE;

/** a round number at or above v: 1, 2 or 5 times a power of ten */
export function niceCeil(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v * (1 - 1e-12)) return m * p;
  return 10 * p;
}

/** a scale value as its label: short, no trailing zeros */
export function scaleLabel(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-3) return v.toExponential(0).replace('e+', 'e');
  return String(Number(v.toPrecision(3)));
}

/**
 * An 8-bit RGB PNG (the PNG specification, 2nd edition): the signature, IHDR, one IDAT of the
 * zlib-deflated rows (each led by filter type 0, none: flat colours deflate well as they are)
 * and IEND, each chunk with its CRC-32.
 */
export function encodePng(width: number, height: number, rgb: Buffer): Buffer {
  const stride = width * 3;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) rgb.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  const chunk = (type: string, data: Buffer): Buffer => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(data, crc32(head.subarray(4))), 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  // bit depth 8, colour type 2 (truecolour), deflate, adaptive filtering, no interlace
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

class Canvas {
  readonly rgb: Buffer;
  constructor(
    readonly width: number,
    readonly height: number,
    bg: Rgb,
  ) {
    this.rgb = Buffer.alloc(width * height * 3);
    this.rgb.fill(Buffer.from(bg));
  }
  dot(x: number, y: number, c: Rgb): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const i = (y * this.width + x) * 3;
    this.rgb[i] = c[0];
    this.rgb[i + 1] = c[1];
    this.rgb[i + 2] = c[2];
  }
  rect(x0: number, y0: number, x1: number, y1: number, c: Rgb): void {
    for (let y = Math.min(y0, y1); y <= Math.max(y0, y1); y++) for (let x = Math.min(x0, x1); x <= Math.max(x0, x1); x++) this.dot(x, y, c);
  }
  /** text whose right end is at x, centred on y */
  textRight(s: string, x: number, y: number, c: Rgb): void {
    const chars = [...s].filter((ch) => GLYPHS[ch]);
    let left = x - chars.length * GLYPH_ADVANCE + GLYPH_SCALE;
    const top = y - Math.floor((7 * GLYPH_SCALE) / 2);
    for (const ch of chars) {
      GLYPHS[ch]!.forEach((row, gy) => {
        for (let gx = 0; gx < 5; gx++) if (row[gx] === '1') this.rect(left + gx * GLYPH_SCALE, top + gy * GLYPH_SCALE, left + gx * GLYPH_SCALE + GLYPH_SCALE - 1, top + gy * GLYPH_SCALE + GLYPH_SCALE - 1, c);
      });
      left += GLYPH_ADVANCE;
    }
  }
}

/** the scale: from the lowest value (or 0) to the highest (or 0), widened to round numbers */
export function scaleOf(chart: Chart): { lo: number; hi: number } {
  let lo = 0;
  let hi = 0;
  for (const s of chart.series) for (const v of s.values) if (Number.isFinite(v)) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
  const top = hi > 0 ? niceCeil(hi) : 0;
  const bottom = lo < 0 ? -niceCeil(-lo) : 0;
  return top === bottom ? { lo: 0, hi: 1 } : { lo: bottom, hi: top };
}

/** the value each pixel column of the plot shows: the largest in magnitude of the values it covers (null: none) */
export function columnsOf(values: readonly number[], width: number): (number | null)[] {
  const out: (number | null)[] = new Array(width).fill(null);
  if (values.length === 0) return out;
  for (let x = 0; x < width; x++) {
    const from = Math.floor((x * values.length) / width);
    const to = Math.max(from + 1, Math.floor(((x + 1) * values.length) / width));
    let best: number | null = null;
    for (let i = from; i < to && i < values.length; i++) {
      const v = values[i]!;
      if (Number.isFinite(v) && (best === null || Math.abs(v) > Math.abs(best))) best = v;
    }
    out[x] = best;
  }
  return out;
}

/** The chart as PNG bytes. */
export function drawChart(chart: Chart): Buffer {
  const canvas = new Canvas(CHART_WIDTH, CHART_HEIGHT, COLOURS.background);
  const { lo, hi } = scaleOf(chart);
  const plotW = PLOT.right - PLOT.left;
  const plotH = PLOT.bottom - PLOT.top;
  const yOf = (v: number): number => Math.round(PLOT.bottom - ((v - lo) / (hi - lo)) * plotH);
  for (let g = 0; g <= GRID_STEPS; g++) {
    const v = lo + ((hi - lo) * g) / GRID_STEPS;
    const y = yOf(v);
    canvas.rect(PLOT.left, y, PLOT.right, y, COLOURS.grid);
    canvas.textRight(scaleLabel(v), PLOT.left - 8, y, COLOURS.text);
  }
  const zero = yOf(0);
  chart.series.forEach((s, n) => {
    const colour = COLOURS.series[n % COLOURS.series.length]!;
    columnsOf(s.values, plotW).forEach((v, x) => {
      if (v === null || v === 0) return;
      canvas.rect(PLOT.left + x, zero, PLOT.left + x, yOf(v), colour);
    });
  });
  canvas.rect(PLOT.left, PLOT.top, PLOT.left, PLOT.bottom, COLOURS.axis);
  canvas.rect(PLOT.left, zero, PLOT.right, zero, COLOURS.axis);
  return encodePng(canvas.width, canvas.height, canvas.rgb);
}
