import { useMemo } from 'react';
import type { VersionView } from '../../../contract/api';
import { diffStats, lineDiff } from '../lib/line-diff';

const MARK = { same: ' ', added: '+', removed: '−' } as const;

export function VersionDiff({ from, to }: { from: VersionView; to: VersionView }) {
  const lines = useMemo(() => lineDiff(from.prompt, to.prompt), [from.prompt, to.prompt]);
  const stats = diffStats(lines);
  return (
    <section className="diff" aria-label={`Changes from version ${from.version} to version ${to.version}`}>
      <header className="diff__head">
        <span>
          v{from.version} → v{to.version}
        </span>
        <span className="diff__stats tabular">
          <span className="diff__added">+{stats.added}</span> <span className="diff__removed">−{stats.removed}</span>
        </span>
      </header>
      {stats.added + stats.removed === 0 ? <p className="field-help diff__same">The prompts are identical.</p> : null}
      <ol className="diff__lines mono">
        {lines.map((line, i) => (
          <li key={i} className={`diff__line diff__line--${line.kind}`}>
            <span className="diff__mark" aria-label={line.kind === 'same' ? undefined : line.kind}>{MARK[line.kind]}</span>
            <span className="diff__text">{line.text || ' '}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
