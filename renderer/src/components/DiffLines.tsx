import type { DiffLine } from '../lib/line-diff';

const MARK = { same: ' ', added: '+', removed: '−' } as const;

/** A line diff as an ordered list: one row per line, its mark read out as "added" or "removed". */
export function DiffLines({ lines }: { lines: readonly DiffLine[] }) {
  return (
    <ol className="diff__lines mono">
      {lines.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a diff's lines are fixed once computed; the position is the identity
        <li key={i} className={`diff__line diff__line--${line.kind}`}>
          {line.kind === 'same' ? (
            <span className="diff__mark">{MARK.same}</span>
          ) : (
            <span className="diff__mark" role="img" aria-label={line.kind}>
              {MARK[line.kind]}
            </span>
          )}
          <span className="diff__text">{line.text || ' '}</span>
        </li>
      ))}
    </ol>
  );
}
