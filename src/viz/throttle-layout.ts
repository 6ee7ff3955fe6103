/**
 * The throttling lab's chart, as pure layout: per-second series of one strategy's run become
 * SVG path strings and ticks on shared scales, so charts side by side compare at a glance.
 * No DOM here (the renderer is throttle-chart.ts), so it is tested in Node.
 */
import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';

export interface ChartSeries {
  key: string;
  label: string;
  values: ArrayLike<number>;
}

export interface ChartBox {
  width: number;
  height: number;
  /** Largest y on the axis (shared by the charts side by side). */
  yMax: number;
  /** Seconds on the x axis. */
  seconds: number;
  /** Quota lines to draw across (requests per second). */
  quotas?: { label: string; perSecond: number }[];
}

export interface ChartLayout {
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
  paths: { key: string; label: string; d: string }[];
  quotas: { label: string; y: number; value: number }[];
  xTicks: { x: number; label: string }[];
  yTicks: { y: number; label: string }[];
}

const MARGIN = { top: 8, right: 10, bottom: 22, left: 48 };

export function compactNumber(n: number): string {
  if (n >= 1e6) return `${+(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${+(n / 1e3).toFixed(1)}k`;
  return `${+n.toFixed(0)}`;
}

export function timeLabel(s: number): string {
  if (s >= 3600) return `${+(s / 3600).toFixed(1)}h`;
  if (s >= 60 && s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

export function chartLayout(series: ChartSeries[], box: ChartBox): ChartLayout {
  const { width, height } = box;
  const x = scaleLinear()
    .domain([0, Math.max(1, box.seconds)])
    .range([MARGIN.left, width - MARGIN.right]);
  const y = scaleLinear()
    .domain([0, Math.max(1, box.yMax)])
    .nice(4)
    .range([height - MARGIN.bottom, MARGIN.top]);
  const paths = series.map((s) => {
    const pts: [number, number][] = [];
    // One point per second, drawn as a step at the middle of its second.
    for (let i = 0; i < s.values.length && i <= box.seconds; i++) pts.push([x(i + 0.5), y(s.values[i]!)]);
    return { key: s.key, label: s.label, d: line()(pts) ?? '' };
  });
  const quotas = (box.quotas ?? []).map((q) => ({ label: q.label, value: q.perSecond, y: y(Math.min(q.perSecond, y.domain()[1]!)) }));
  const xTicks = x.ticks(6).map((t) => ({ x: x(t), label: timeLabel(t) }));
  const yTicks = y.ticks(4).map((t) => ({ y: y(t), label: compactNumber(t) }));
  return { width, height, margin: MARGIN, paths, quotas, xTicks, yTicks };
}

/** The largest value across several runs' series, for a shared y axis. */
export function sharedMax(runs: ArrayLike<number>[][], extra: number[] = []): number {
  let m = 0;
  for (const r of runs) for (const s of r) for (let i = 0; i < s.length; i++) if (s[i]! > m) m = s[i]!;
  for (const e of extra) if (Number.isFinite(e) && e > m) m = e;
  return m;
}
