import { useMemo } from 'react';
import type { VersionView } from '../../../contract/api';
import { DiffLines } from '../components/DiffLines';
import { diffStats, lineDiff } from '../lib/line-diff';

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
      <DiffLines lines={lines} />
    </section>
  );
}
