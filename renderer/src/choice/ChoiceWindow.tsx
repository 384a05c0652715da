import { useEffect, useRef, type KeyboardEvent } from 'react';
import { useApi } from '../api/api-context';
import { isTextEntry } from '../lib/keys';
import { AppGlyph } from '../components/AppGlyph';
import { Icon } from '../components/Icon';
import { StatusScreen } from '../components/StatusScreen';
import { inputLabel, skillTitle } from '../lib/format';
import { useAppStore } from '../stores/use-app-store';
import { useChoiceStore } from '../stores/use-choice-store';
import { ChoiceOption } from './ChoiceOption';

export function ChoiceWindow({ taskId }: { taskId?: string }) {
  const api = useApi();
  const { phase, round, pending, conclusion, error } = useChoiceStore();
  const waitingIds = useAppStore((s) => s.state?.pendingVotes.map((v) => v.taskId).join(' ') ?? null);
  const optionRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const closeRef = useRef<HTMLButtonElement | null>(null);

  useEffect(() => {
    void useChoiceStore.getState().load(api, taskId);
  }, [api, taskId]);

  // Follow the engine: new rounds after "nothing else", or the shown round answered somewhere else.
  useEffect(() => {
    if (waitingIds === null) return;
    const { phase: p, round: r, load } = useChoiceStore.getState();
    const waiting = waitingIds ? waitingIds.split(' ') : [];
    if (p === 'done' && waiting.length > 0) void load(api);
    else if (p === 'ready' && r && !waiting.includes(r.taskId)) void load(api);
  }, [api, waitingIds]);

  // Focus: the first option of each new round; Close once there is nothing left.
  useEffect(() => {
    if (phase === 'ready') optionRefs.current[0]?.focus();
    if (phase === 'done') closeRef.current?.focus();
  }, [phase, round?.taskId]);

  const close = () => void api.closeWindow().catch(() => undefined);
  const choose = (choice: string) => void useChoiceStore.getState().vote(api, choice);

  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.metaKey || event.ctrlKey || event.altKey || isTextEntry(event.target)) return;
      if (event.key === 'Escape') {
        event.preventDefault();
        close();
        return;
      }
      const { phase: p, round: r } = useChoiceStore.getState();
      if (p !== 'ready' || !r) return;
      const key = event.key.toLowerCase();
      const option = r.options.find((o) => o.label === key);
      const choice = option ? option.label : key === 'n' ? 'none' : key === 's' ? 'skip' : null;
      if (choice) {
        event.preventDefault();
        choose(choice);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [api]);

  const onOptionKey = (index: number) => (event: KeyboardEvent<HTMLButtonElement>) => {
    const count = round?.options.length ?? 0;
    const step = event.key === 'ArrowDown' || event.key === 'ArrowRight' ? 1 : event.key === 'ArrowUp' || event.key === 'ArrowLeft' ? -1 : 0;
    if (step && count) {
      event.preventDefault();
      optionRefs.current[(index + step + count) % count]?.focus();
    }
  };

  if (phase === 'loading' && !round) return <div className="window choice"><StatusScreen title="Loading…" /></div>;

  if (phase === 'error' && !round) {
    return (
      <div className="window choice">
        <StatusScreen title="Couldn’t load the vote" detail={error} tone="warning">
          <button type="button" className="button" onClick={() => void useChoiceStore.getState().load(api)}>Try Again</button>
        </StatusScreen>
      </div>
    );
  }

  if (phase === 'done' || !round) {
    return (
      <div className="window choice">
        <div className="status-screen choice-done" role="status">
          <span className="choice-done__check" aria-hidden="true"><Icon name="check" /></span>
          <h1 className="choice-done__title">Thanks — nothing else to vote on</h1>
          {conclusion ? <p className="choice-done__conclusion">{conclusion}</p> : <p className="choice-done__detail">New choices will appear here when a skill is being tested.</p>}
          {error ? <p className="inline-error" role="alert">{error}</p> : null}
          <button ref={closeRef} type="button" className="button button--default" onClick={close}>Close</button>
        </div>
      </div>
    );
  }

  const busy = phase === 'voting';
  const title = skillTitle(round.skill);
  return (
    <div className="window choice" aria-busy={busy}>
      <header className="choice__header">
        <AppGlyph size="small" />
        <h1 className="choice__title">{title} — help us improve</h1>
      </header>

      <div className="choice__body">
        {conclusion ? <p className="notice notice--good" role="status">{conclusion}</p> : null}
        {error ? <p className="notice notice--warning" role="alert">{error}</p> : null}

        <div className="choice__task">
          <span className="choice__task-label">{inputLabel(round.skill)}</span>
          <span className="choice__task-value" title={round.input}>{round.input}</span>
        </div>
        <p className="choice__prompt" id="choice-prompt">We’re testing new prompts. Choose the result you prefer:</p>

        <div className="choice__options" role="radiogroup" aria-labelledby="choice-prompt">
          {round.options.map((option, i) => (
            <ChoiceOption
              key={`${round.taskId}-${option.label}`}
              ref={(el) => {
                optionRefs.current[i] = el;
              }}
              option={option}
              checked={pending === option.label || round.picked === option.label}
              disabled={busy}
              tabIndex={i === 0 ? 0 : -1}
              onPick={choose}
              onKeyDown={onOptionKey(i)}
            />
          ))}
        </div>

        {round.tip ? (
          <p className="choice__tip">
            <Icon name="tip" className="choice__tip-icon" />
            <span>{round.tip}</span>
          </p>
        ) : null}
      </div>

      <footer className="choice__footer">
        <div className="choice__actions">
          <button type="button" className="button" onClick={() => choose('none')} disabled={busy} aria-keyshortcuts="N">
            None is good <kbd className="keycap keycap--inline" aria-hidden="true">N</kbd>
          </button>
          <button type="button" className="button" onClick={() => choose('skip')} disabled={busy} aria-keyshortcuts="S">
            Skip <kbd className="keycap keycap--inline" aria-hidden="true">S</kbd>
          </button>
        </div>
        <span className="choice__votes tabular" aria-live="polite">Votes so far: {round.votes}/{round.maxVotes}</span>
      </footer>
    </div>
  );
}
