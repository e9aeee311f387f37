/** A tiny self-contained SVG stacked bar chart, the companion of svg-chart.ts's line chart. */
import { escapeHtml, niceCeil } from './svg-chart.js';

export interface Segment {
  name: string;
  value: number;
  color: string;
}

export interface Bar {
  label: string;
  segments: Segment[];
  /** Written above the bar, e.g. its total. */
  note?: string;
}

export interface BarChartSpec {
  title: string;
  yLabel: string;
  bars: Bar[];
}

const WIDTH = 560;
const HEIGHT = 320;
const PAD = { left: 56, right: 190, top: 40, bottom: 36 };
/** Below this height a segment has no room for its value. */
const LABEL_MIN_PX = 13;

/** One bar per entry, its segments stacked bottom-up in order; the legend names every segment once. */
export function stackedBars(spec: BarChartSpec): string {
  const totals = spec.bars.map((bar) => bar.segments.reduce((sum, s) => sum + s.value, 0));
  const top = Math.max(...totals, 0);
  if (spec.bars.length === 0 || top <= 0) return `<p>${escapeHtml(spec.title)}: no data.</p>`;
  const yMax = niceCeil(top);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const sy = (v: number) => PAD.top + plotH - (v / yMax) * plotH;
  const slot = plotW / spec.bars.length;
  const barW = Math.min(90, slot * 0.6);

  const grid = Array.from({ length: 5 }, (_, i) => (yMax / 4) * i)
    .map(
      (v) =>
        `<line x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${sy(v).toFixed(1)}" y2="${sy(v).toFixed(1)}" stroke="#ddd"/><text x="${PAD.left - 6}" y="${(sy(v) + 4).toFixed(1)}" text-anchor="end">${Math.round(v * 100) / 100}</text>`,
    )
    .join('');
  const bars = spec.bars
    .map((bar, i) => {
      const x = PAD.left + slot * i + (slot - barW) / 2;
      let base = 0;
      const rects = bar.segments
        .filter((s) => s.value > 0)
        .map((s) => {
          const [y0, y1] = [sy(base + s.value), sy(base)];
          base += s.value;
          const value =
            y1 - y0 >= LABEL_MIN_PX
              ? `<text x="${(x + barW / 2).toFixed(1)}" y="${((y0 + y1) / 2 + 4).toFixed(1)}" text-anchor="middle" fill="#fff">${s.value}</text>`
              : '';
          return `<rect x="${x.toFixed(1)}" y="${y0.toFixed(1)}" width="${barW.toFixed(1)}" height="${(y1 - y0).toFixed(1)}" fill="${s.color}"><title>${escapeHtml(`${bar.label}: ${s.name} ${s.value}`)}</title></rect>${value}`;
        })
        .join('');
      const note =
        bar.note === undefined
          ? ''
          : `<text x="${(x + barW / 2).toFixed(1)}" y="${(sy(base) - 6).toFixed(1)}" text-anchor="middle">${escapeHtml(bar.note)}</text>`;
      return `${rects}${note}<text x="${(x + barW / 2).toFixed(1)}" y="${HEIGHT - PAD.bottom + 16}" text-anchor="middle">${escapeHtml(bar.label)}</text>`;
    })
    .join('');
  const names = new Map(spec.bars.flatMap((bar) => bar.segments.map((s) => [s.name, s.color] as const)));
  const legend = [...names]
    .map(
      ([name, color], i) =>
        `<g transform="translate(${WIDTH - PAD.right + 14},${PAD.top + i * 15})"><rect width="11" height="11" fill="${color}"/><text x="16" y="10">${escapeHtml(name)}</text></g>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif" font-size="11" role="img" aria-label="${escapeHtml(spec.title)}">
<text x="${WIDTH / 2}" y="16" text-anchor="middle" font-weight="bold">${escapeHtml(spec.title)}</text>${grid}
<line x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${sy(0)}" y2="${sy(0)}" stroke="#999"/>${bars}${legend}
<text transform="translate(12,${PAD.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(spec.yLabel)}</text></svg>`;
}
