import type { SkillInsightView } from '../../../contract/api';
import { formatDay, pct } from '../lib/format';
import { insightSummary } from './Sparkline';

const W = 520;
const H = 96;
const PAD = { left: 30, right: 8, top: 8, bottom: 18 };

const LABEL_ROW = 11;
const LABEL_WIDTH = 24;

/** A label that would run past the plot goes on the marker's left. */
const nearRightEdge = (x: number) => x > W - PAD.right - LABEL_WIDTH;

/** Markers close together (two changes in one day) put their labels on the next row instead of over each other. */
export function placeMarkers(xs: readonly number[]): { x: number; row: number }[] {
  const rowEnds: number[] = [];
  return xs.map((x) => {
    let row = rowEnds.findIndex((end) => x >= end);
    if (row === -1) row = Math.min(rowEnds.length, 3);
    rowEnds[row] = x + LABEL_WIDTH;
    return { x, row };
  });
}

/** A skill's weekly accuracy over eight weeks, with a marker where a version was promoted or rolled back. */
export function AccuracyChart({ insight }: { insight: SkillInsightView }) {
  const n = insight.points.length;
  const start = n > 0 ? Date.parse(insight.points[0].from) : 0;
  const span = 7 * 86_400_000 * Math.max(1, n);
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (n <= 1 ? innerW / 2 : (i / (n - 1)) * innerW);
  const y = (a: number) => PAD.top + (1 - a) * innerH;
  const points = insight.points.flatMap((p, i) => (p.accuracy === null ? [] : [{ x: x(i), y: y(p.accuracy), p }]));
  const path = points.map((q, i) => `${i ? 'L' : 'M'}${q.x.toFixed(1)} ${q.y.toFixed(1)}`).join(' ');
  const placed = placeMarkers(insight.markers.map((m) => PAD.left + Math.min(1, Math.max(0, (Date.parse(m.at) - start) / span)) * innerW));
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={insightSummary(insight)}>
        {[0, 0.5, 1].map((a) => (
          <g key={a}>
            <line className="chart__grid" x1={PAD.left} x2={W - PAD.right} y1={y(a)} y2={y(a)} />
            <text className="chart__axis" x={PAD.left - 6} y={y(a) + 3.5} textAnchor="end">
              {pct(a)}
            </text>
          </g>
        ))}
        {placed.map(({ x: mx }, i) => {
          const m = insight.markers[i];
          return <line key={m.at} className={`chart__marker chart__marker--${m.kind}`} x1={mx} x2={mx} y1={PAD.top} y2={H - PAD.bottom} />;
        })}
        {path ? <path className="chart__line" d={path} /> : null}
        {points.map((q) => (
          <circle key={q.p.from} className="chart__dot" cx={q.x} cy={q.y} r={2.5} />
        ))}
        {/* Over the line, low in the plot where accuracy seldom is, with a halo: a label never hides behind the data. */}
        {placed.map(({ x: mx, row }, i) => (
          <text
            key={insight.markers[i].at}
            className="chart__marker-label"
            x={nearRightEdge(mx) ? mx - 3 : mx + 3}
            y={H - PAD.bottom - 4 - row * LABEL_ROW}
            textAnchor={nearRightEdge(mx) ? 'end' : 'start'}
          >
            v{insight.markers[i].version}
          </text>
        ))}
        {n > 0 ? (
          <>
            <text className="chart__axis" x={PAD.left} y={H - 4}>
              {formatDay(insight.points[0].from)}
            </text>
            <text className="chart__axis" x={W - PAD.right} y={H - 4} textAnchor="end">
              this week
            </text>
          </>
        ) : null}
      </svg>
      <figcaption className="chart__legend">
        <span className="chart__key chart__key--promoted">promoted</span>
        <span className="chart__key chart__key--rolled-back">rolled back</span>
      </figcaption>
    </figure>
  );
}
