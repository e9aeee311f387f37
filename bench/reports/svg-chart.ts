/** A tiny self-contained SVG line chart: no library, no CDN, so the report opens anywhere. */
export interface Series {
  name: string;
  color: string;
  dashed?: boolean;
  points: [x: number, y: number][];
}

export interface ChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** Tick values on x, with their labels; default five even ticks. */
  xTicks?: [value: number, label: string][];
  /** Log scale on y (latencies span from a few ms to seconds). */
  logY?: boolean;
  /** A stretch of x shaded behind the lines, e.g. the seconds a service was down. */
  band?: Band;
}

export interface Band {
  from: number;
  to: number;
  label: string;
}

const WIDTH = 560;
const HEIGHT = 260;
const PAD = { left: 56, right: 12, top: 28, bottom: 40 };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function lineChart(spec: ChartSpec): string {
  const points = spec.series.flatMap((s) => s.points).filter(([, y]) => !spec.logY || y > 0);
  if (points.length === 0) return `<p>${escapeHtml(spec.title)}: no data.</p>`;
  const xs = points.map(([x]) => x);
  const [xMin, xMax] = [Math.min(...xs), Math.max(...xs, Math.min(...xs) + 1)];
  const ys = points.map(([, y]) => y);
  const fy = spec.logY ? Math.log10 : (v: number) => v;
  const yMin = spec.logY ? Math.floor(Math.log10(Math.max(0.1, Math.min(...ys)))) : 0;
  const yMax = spec.logY ? Math.ceil(Math.log10(Math.max(...ys))) : niceCeil(Math.max(...ys));
  const yTop = yMax <= yMin ? yMin + 1 : yMax;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const sx = (x: number) => PAD.left + ((x - xMin) / (xMax - xMin)) * plotW;
  const sy = (y: number) => PAD.top + plotH - ((fy(y) - yMin) / (yTop - yMin)) * plotH;

  const yTicks = spec.logY ? Array.from({ length: yTop - yMin + 1 }, (_, i) => 10 ** (yMin + i)) : Array.from({ length: 5 }, (_, i) => (yTop / 4) * i);
  const xTicks =
    spec.xTicks ??
    Array.from({ length: 5 }, (_, i) => {
      const v = xMin + ((xMax - xMin) / 4) * i;
      return [v, String(Math.round(v))] as [number, string];
    });

  const grid = [
    ...yTicks.map(
      (v) =>
        `<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${sy(v).toFixed(1)}" y2="${sy(v).toFixed(1)}" stroke="#ddd"/><text x="${PAD.left - 6}" y="${(sy(v) + 4).toFixed(1)}" text-anchor="end">${formatTick(v)}</text>`,
    ),
    ...xTicks.map(([v, label]) => `<text x="${sx(v).toFixed(1)}" y="${HEIGHT - PAD.bottom + 16}" text-anchor="middle">${escapeHtml(label)}</text>`),
  ].join('');
  let band = '';
  if (spec.band !== undefined) {
    const [x1, x2] = [spec.band.from, spec.band.to].map((x) => sx(Math.max(xMin, Math.min(xMax, x)))) as [number, number];
    band =
      `<rect x="${x1.toFixed(1)}" y="${PAD.top}" width="${(x2 - x1).toFixed(1)}" height="${plotH}" fill="#e6e6e6"/>` +
      `<text x="${((x1 + x2) / 2).toFixed(1)}" y="${PAD.top + plotH - 6}" text-anchor="middle" fill="#555">${escapeHtml(spec.band.label)}</text>`;
  }
  const lines = spec.series
    .map((s) => {
      const shown = s.points.filter(([, y]) => !spec.logY || y > 0);
      // A path through one point draws nothing: a flow that failed at its first step would vanish.
      const [only] = shown;
      if (shown.length === 1 && only) return `<circle cx="${sx(only[0]).toFixed(1)}" cy="${sy(only[1]).toFixed(1)}" r="3" fill="${s.color}"/>`;
      const d = shown.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join('');
      return `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`;
    })
    .join('');
  const legend = spec.series
    .map(
      (s, i) =>
        `<g transform="translate(${PAD.left + 8 + (i % 4) * 128},${PAD.top + 10 + Math.floor(i / 4) * 14})"><line x2="18" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/><text x="22" y="4">${escapeHtml(s.name)}</text></g>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif" font-size="11" role="img" aria-label="${escapeHtml(spec.title)}">
<text x="${WIDTH / 2}" y="16" text-anchor="middle" font-weight="bold">${escapeHtml(spec.title)}</text>${band}${grid}
<rect x="${PAD.left}" y="${PAD.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>${lines}${legend}
<text x="${PAD.left + plotW / 2}" y="${HEIGHT - 6}" text-anchor="middle">${escapeHtml(spec.xLabel)}</text>
<text transform="translate(12,${PAD.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(spec.yLabel)}</text></svg>`;
}

/** The axis top: the value rounded up to its first digit (0.37 → 0.4, 1,234 → 2,000). */
export function niceCeil(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return Math.ceil(value / magnitude) * magnitude;
}

function formatTick(value: number): string {
  if (value >= 1_000) return `${value / 1_000}k`;
  return String(Math.round(value * 10) / 10);
}
