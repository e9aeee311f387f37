/**
 * Draws the live view's two charts of the last 15 minutes (uPlot, on canvas: it sets only CSSOM
 * style properties, which the page's `style-src 'self'` allows, and its stylesheet is bundled with
 * the page's), and under each the figures of the last minute and of the whole window as text.
 */
import uPlot from 'uplot';
import { STATUSES } from '../../../contracts/lifecycle.js';
import { OPS_OUTCOMES, perOutcome, SERIES_WINDOW_SECONDS, type OpsOutcome } from '../../../contracts/ops-series.js';
import type { SeriesState, SeriesSummary } from './chart-series.js';
import { onceAFrame } from './once-a-frame.js';

const HEIGHT = 200;
/** The window slides even when no payment moves. */
const SLIDE_EVERY_MS = 1_000;

/** Each outcome by its stage's name on the board: "declined", "refund failed". */
const OUTCOME_LABELS: Record<OpsOutcome, string> = perOutcome((outcome) => STATUSES[outcome].stage.title.toLowerCase());

export interface ChartElements {
  outcomes: HTMLElement;
  outcomesSummary: HTMLElement;
  confirmTimes: HTMLElement;
  confirmTimesSummary: HTMLElement;
}

export class ChartView {
  private charts: { outcomes: uPlot; confirmTimes: uPlot } | undefined;
  private sliding: number | undefined;

  constructor(
    private readonly elements: ChartElements,
    private readonly state: SeriesState,
  ) {}

  /** Draws at the next frame, once however many moves arrived in between. */
  readonly render = onceAFrame(() => this.draw());

  /** Draws now (the charts are made on the first draw, when the board is on screen and has a width), and keeps the window sliding. */
  draw(): void {
    const points = this.state.points();
    const outcomes: uPlot.AlignedData = [points.time, ...OPS_OUTCOMES.map((outcome) => points.perSecond[outcome])];
    const confirmTimes: uPlot.AlignedData = [points.time, points.p50, points.p99];
    if (this.charts === undefined) this.charts = this.create(outcomes, confirmTimes);
    else {
      this.charts.outcomes.setData(outcomes);
      this.charts.confirmTimes.setData(confirmTimes);
    }
    this.showSummaries();
    this.sliding ??= window.setInterval(() => this.render(), SLIDE_EVERY_MS);
  }

  private create(outcomes: uPlot.AlignedData, confirmTimes: uPlot.AlignedData): { outcomes: uPlot; confirmTimes: uPlot } {
    const color = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    const axes = (unit: string): uPlot.Axis[] => [
      { stroke: color('--muted'), grid: { stroke: color('--border') }, ticks: { stroke: color('--border') } },
      {
        stroke: color('--muted'),
        grid: { stroke: color('--border') },
        ticks: { stroke: color('--border') },
        values: (_chart, ticks) => ticks.map((tick) => `${formatNumber(tick)} ${unit}`),
        size: 64,
      },
    ];
    const outcomeColors: Record<OpsOutcome, string> = perOutcome((outcome) => color(STATUSES[outcome].stage.color));
    const chart = (target: HTMLElement, data: uPlot.AlignedData, unit: string, series: uPlot.Series[]) =>
      new uPlot(
        {
          width: Math.max(300, target.clientWidth),
          height: HEIGHT,
          scales: { x: { time: true }, y: { range: (_chart, _min, max) => [0, Math.max(max, 1)] } },
          axes: axes(unit),
          series: [{}, ...series],
          legend: { show: true },
        },
        data,
        target,
      );
    const charts = {
      outcomes: chart(
        this.elements.outcomes,
        outcomes,
        '/s',
        OPS_OUTCOMES.map((outcome) => ({
          label: OUTCOME_LABELS[outcome],
          stroke: outcomeColors[outcome],
          width: 2,
          value: (_chart: uPlot, rate: number | null) => (rate === null ? '—' : `${formatNumber(rate)}/s`),
        })),
      ),
      // A bucket without confirmations has no time: the line joins the buckets around it, and a lone bucket shows as a dot.
      confirmTimes: chart(this.elements.confirmTimes, confirmTimes, 's', [
        {
          label: 'p50',
          stroke: color('--ok'),
          width: 2,
          spanGaps: true,
          points: { show: true, size: 5 },
          value: (_chart, seconds) => (seconds === null ? '—' : `${formatNumber(seconds)} s`),
        },
        {
          label: 'p99',
          stroke: color('--danger'),
          width: 2,
          dash: [6, 4],
          spanGaps: true,
          points: { show: true, size: 5 },
          value: (_chart, seconds) => (seconds === null ? '—' : `${formatNumber(seconds)} s`),
        },
      ]),
    };
    new ResizeObserver(() => {
      for (const [chart, target] of [
        [charts.outcomes, this.elements.outcomes],
        [charts.confirmTimes, this.elements.confirmTimes],
      ] as const) {
        if (target.clientWidth > 0 && target.clientWidth !== chart.width) chart.setSize({ width: target.clientWidth, height: HEIGHT });
      }
    }).observe(this.elements.outcomes);
    return charts;
  }

  private showSummaries(): void {
    const minute = this.state.summary(60);
    const whole = this.state.summary(SERIES_WINDOW_SECONDS);
    const outcomes = (summary: SeriesSummary) => OPS_OUTCOMES.map((outcome) => `${summary.outcomes[outcome]} ${OUTCOME_LABELS[outcome]}`).join(', ');
    const times = (summary: SeriesSummary) =>
      summary.p50 === undefined || summary.p99 === undefined ? 'no confirmations' : `p50 ${formatSeconds(summary.p50)}, p99 ${formatSeconds(summary.p99)}`;
    this.elements.outcomesSummary.textContent = `Last minute: ${outcomes(minute)}. Last 15 minutes: ${outcomes(whole)}.`;
    this.elements.confirmTimesSummary.textContent = `Last minute: ${times(minute)}. Last 15 minutes: ${times(whole)}.`;
    for (const [range, summary] of [
      ['minute', minute],
      ['window', whole],
    ] as const) {
      for (const outcome of OPS_OUTCOMES) this.elements.outcomesSummary.dataset[`${range}${capitalized(outcome)}`] = String(summary.outcomes[outcome]);
      this.elements.confirmTimesSummary.dataset[`${range}P50`] = summary.p50 === undefined ? '' : summary.p50.toFixed(3);
      this.elements.confirmTimesSummary.dataset[`${range}P99`] = summary.p99 === undefined ? '' : summary.p99.toFixed(3);
    }
  }
}

/** `refund_failed` → `RefundFailed`, for a data attribute (`data-minute-refund-failed`). */
function capitalized(name: string): string {
  return name.replace(/(^|_)(\w)/g, (_match, _sep, letter: string) => letter.toUpperCase());
}

function formatNumber(value: number): string {
  return value >= 10 ? value.toFixed(0) : value >= 1 ? value.toFixed(1) : value.toFixed(2);
}

function formatSeconds(seconds: number): string {
  return `${seconds.toFixed(2)} s`;
}
