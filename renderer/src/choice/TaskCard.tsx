import { useState } from 'react';
import { fileKind, looksLikeFileName } from '../../../contract/file-kind';
import { Icon } from '../components/Icon';
import { inputLabel } from '../lib/format';

const CLAMP_LINES = 4;

/** What the person is asked about, as they know it: a file by name and kind, or the text itself (all of it, on request). */
export function TaskCard({ skill, input }: { skill: string; input: string }) {
  const [open, setOpen] = useState(false);
  if (skill === 'file-naming' && looksLikeFileName(input)) {
    const kind = fileKind(input);
    return (
      <div className="task-card task-card--file">
        <span className="task-card__icon" aria-hidden="true">
          <Icon name={/ image$/.test(kind) ? 'photo' : 'document'} />
        </span>
        <div className="task-card__file">
          <p className="task-card__name mono">{input}</p>
          <p className="task-card__kind">{kind}</p>
        </div>
      </div>
    );
  }
  const lines = input.split('\n');
  const long = lines.length > CLAMP_LINES || input.length > 320;
  return (
    <div className="task-card">
      <p className="task-card__label">{inputLabel(skill)}</p>
      <p className={`task-card__text${long && !open ? ' task-card__text--clamped' : ''}`} id="task-text">
        {input}
      </p>
      {long ? (
        <button type="button" className="link-button" aria-expanded={open} aria-controls="task-text" onClick={() => setOpen(!open)}>
          {open ? 'Show less' : `Show all ${lines.length > CLAMP_LINES ? `${lines.length} lines` : 'of it'}`}
        </button>
      ) : null}
    </div>
  );
}
