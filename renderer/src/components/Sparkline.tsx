import type { SkillInsightView } from '../../../contract/api';
import { formatDay, pct } from '../lib/format';

const W = 64;
const H = 18;

/** What the chart shows, in words, for people who cannot see it. */
export function insightSummary(insight: SkillInsightView): string {
  const measured = insight.points.filter((p) => p.accuracy !== null);
  if (measured.length === 0) return 'No accuracy measured in the last 8 weeks';
  const first = measured[0];
  const last = measured[measured.length - 1];
  const markers = insight.markers.map(
    (m) => `${m.kind === 'promoted' ? 'promoted to' : 'rolled back to'} version ${m.version} on ${formatDay(m.at)}`,
  );
  return [`Accuracy over 8 weeks: ${pct(first.accuracy)} to ${pct(last.accuracy)}`, ...markers].join('; ');
}

/** A small chart of weekly accuracy with a tick where a version was promoted (green) or rolled back (orange). */
export function Sparkline({ insight, width = W, height = H }: { insight: SkillInsightView; width?: number; height?: number }) {
  const n = insight.points.length;
  const start = n > 0 ? Date.parse(insight.points[0].from) : 0;
  const span = 7 * 86_400_000 * Math.max(1, n);
  const x = (i: number) => (n <= 1 ? width / 2 : (i / (n - 1)) * (width - 4) + 2);
  const y = (a: number) => height - 2 - a * (height - 4);
  const segments: string[] = [];
  let run: string[] = [];
  insight.points.forEach((p, i) => {
    if (p.accuracy === null) {
      if (run.length) segments.push(run.join(' '));
      run = [];
    } else run.push(`${run.length ? 'L' : 'M'}${x(i).toFixed(1)} ${y(p.accuracy).toFixed(1)}`);
  });
  if (run.length) segments.push(run.join(' '));
  // One week alone is no line: say nothing rather than draw a stray dot.
  if (insight.points.filter((p) => p.accuracy !== null).length < 2) return null;
  return (
    <svg
      className="sparkline"
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      role="img"
      aria-label={insightSummary(insight)}
    >
      {insight.markers.map((m) => {
        const mx = Math.min(width - 1, Math.max(1, ((Date.parse(m.at) - start) / span) * width));
        return <line key={m.at} className={`sparkline__marker sparkline__marker--${m.kind}`} x1={mx} x2={mx} y1={1} y2={height - 1} />;
      })}
      {segments.map((d) => (
        <path key={d} className="sparkline__line" d={d} />
      ))}
    </svg>
  );
}
