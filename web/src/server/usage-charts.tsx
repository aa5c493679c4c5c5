// Plain-SVG charts for the Usage section: no charting library (a few hundred bytes of paths beat a
// 40 KB dependency for three chart kinds). Each scales to its container's width through viewBox,
// so it stays readable on a phone; every chart carries a text summary for screen readers.
import type { MetricsPoint } from '../../../lib/api/metrics';

const W = 400;
const H = 170;
const PAD = { top: 10, right: 6, bottom: 24, left: 48 };

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  const n = v / p;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * p;
}

function timeLabel(t: number, stepMs: number): string {
  const d = new Date(t);
  return stepMs >= 3600_000
    ? d.toLocaleDateString(undefined, { weekday: 'short', day: 'numeric' })
    : d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

function Axes(props: { max: number; unit: string; series: MetricsPoint[]; stepMs: number }) {
  const { max, series } = props;
  const innerH = H - PAD.top - PAD.bottom;
  const ticks = [0, max / 2, max];
  const labels = series.length > 1 ? [0, Math.floor(series.length / 2), series.length - 1] : [];
  const x = (i: number) => PAD.left + ((W - PAD.left - PAD.right) * (i + 0.5)) / series.length;
  return (
    <g className="usage-axes">
      {ticks.map((v) => {
        const y = PAD.top + innerH - (innerH * v) / max;
        return (
          <g key={v}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y} y2={y} />
            <text x={PAD.left - 4} y={y + 4} textAnchor="end">
              {Number.isInteger(v) ? v : v.toFixed(1)}
              {props.unit}
            </text>
          </g>
        );
      })}
      {labels.map((i, n) => (
        <text
          key={i}
          x={n === 0 ? PAD.left : n === labels.length - 1 ? W - PAD.right : x(i)}
          y={H - 6}
          textAnchor={n === 0 ? 'start' : n === labels.length - 1 ? 'end' : 'middle'}
        >
          {timeLabel(series[i]!.t, props.stepMs)}
        </text>
      ))}
    </g>
  );
}

/** Calls per interval as bars, the errors among them stacked in red. */
export function CallsChart({ series, stepMs }: { series: MetricsPoint[]; stepMs: number }) {
  const max = niceMax(Math.max(...series.map((p) => p.calls)));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const bw = innerW / series.length;
  const total = series.reduce((a, p) => a + p.calls, 0);
  const errors = series.reduce((a, p) => a + p.errors, 0);
  return (
    <svg
      className="usage-chart"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`Calls over time: ${total} calls, ${errors} errors`}
      data-testid="usage-calls-chart"
    >
      <Axes max={max} unit="" series={series} stepMs={stepMs} />
      {series.map((p, i) => {
        const h = (innerH * p.calls) / max;
        const eh = (innerH * p.errors) / max;
        const x = PAD.left + i * bw + bw * 0.1;
        return (
          <g key={p.t}>
            <title>{`${timeLabel(p.t, stepMs)}: ${p.calls} calls, ${p.errors} errors`}</title>
            {p.calls > 0 && (
              <rect
                className="usage-bar"
                x={x}
                width={bw * 0.8}
                y={PAD.top + innerH - h}
                height={h}
              />
            )}
            {p.errors > 0 && (
              <rect
                className="usage-bar-error"
                x={x}
                width={bw * 0.8}
                y={PAD.top + innerH - eh}
                height={eh}
              />
            )}
          </g>
        );
      })}
    </svg>
  );
}

function linePath(values: (number | null)[], max: number): string {
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  let d = '';
  let pen = false;
  values.forEach((v, i) => {
    if (v === null) {
      pen = false;
      return;
    }
    const x = PAD.left + (innerW * (i + 0.5)) / values.length;
    const y = PAD.top + innerH - (innerH * Math.min(v, max)) / max;
    d += `${pen ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`;
    pen = true;
  });
  return d;
}

/** p50 and p95 latency per interval; intervals without calls leave a gap, not a zero. */
export function LatencyChart({ series, stepMs }: { series: MetricsPoint[]; stepMs: number }) {
  const max = niceMax(Math.max(0, ...series.map((p) => p.p95Ms ?? 0)));
  // A point with no neighbour draws no line segment: it gets a dot instead.
  const dots = (key: 'p50Ms' | 'p95Ms', cls: string) =>
    series.map((p, i) => {
      const v = p[key];
      const alone =
        (series[i - 1]?.[key] ?? null) === null && (series[i + 1]?.[key] ?? null) === null;
      if (v === null || !alone) return null;
      return (
        <circle
          key={`${key}${p.t}`}
          className={cls}
          cx={PAD.left + ((W - PAD.left - PAD.right) * (i + 0.5)) / series.length}
          cy={PAD.top + (H - PAD.top - PAD.bottom) * (1 - Math.min(v, max) / max)}
          r={3}
        />
      );
    });
  return (
    <svg
      className="usage-chart"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label="Latency over time in milliseconds, p50 and p95"
      data-testid="usage-latency-chart"
    >
      <Axes max={max} unit="" series={series} stepMs={stepMs} />
      <path
        className="usage-line-p95"
        d={linePath(
          series.map((p) => p.p95Ms),
          max,
        )}
      />
      <path
        className="usage-line-p50"
        d={linePath(
          series.map((p) => p.p50Ms),
          max,
        )}
      />
      {dots('p95Ms', 'usage-dot-p95')}
      {dots('p50Ms', 'usage-dot-p50')}
    </svg>
  );
}

/** A tool's calls per interval as a small inline line. */
export function Sparkline({ values, label }: { values: number[]; label: string }) {
  const w = 120;
  const h = 24;
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? w / (values.length - 1) : w;
  const d = values
    .map(
      (v, i) =>
        `${i === 0 ? 'M' : 'L'}${(i * step).toFixed(1)},${(h - 2 - ((h - 4) * v) / max).toFixed(1)}`,
    )
    .join('');
  return (
    <svg className="usage-spark" viewBox={`0 0 ${w} ${h}`} role="img" aria-label={label}>
      <path d={d} />
    </svg>
  );
}
