import { useEffect, useRef, type KeyboardEvent } from 'react';
import { useApi } from '../api/api-context';
import { Icon } from '../components/Icon';
import { StatusScreen } from '../components/StatusScreen';
import { useFitWindow } from '../hooks/use-fit-window';
import { choiceQuestion, skillTitle } from '../lib/format';
import { isTextEntry } from '../lib/keys';
import { useAppStore } from '../stores/use-app-store';
import { useChoiceStore } from '../stores/use-choice-store';
import { ChoiceOption } from './ChoiceOption';
import { Reveal } from './Reveal';
import { TaskCard } from './TaskCard';

const store = () => useChoiceStore.getState();

/**
 * The choice window. Before a vote: the task, every option in full, no confidence and no leader, nothing
 * focused (a focused first option reads as a default). After it: what the vote did, with Undo while the
 * test is undecided, and Next.
 */
export function ChoiceWindow({ taskId }: { taskId?: string }) {
  const api = useApi();
  const { phase, round, result, pending, error } = useChoiceStore();
  const waitingIds = useAppStore((s) => s.state?.pendingVotes.map((v) => v.taskId).join(' ') ?? null);
  const optionRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const nextRef = useRef<HTMLButtonElement | null>(null);
  const body = useRef<HTMLElement | null>(null);
  const footer = useRef<HTMLElement | null>(null);
  const inApp = useAppStore((s) => s.state?.shell.kind === 'electron');
  // In the app the window fits the first round it shows (two short names need far less than three texts) and
  // grows when a later round needs more; it never shrinks while open.
  useFitWindow(api, { body, footer }, inApp && round !== null && phase !== 'done', true);

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

  // The window titles itself with its question, once (no second title inside it).
  const skill = round?.skill;
  useEffect(() => {
    document.title = skill ? `${skillTitle(skill)}: ${choiceQuestion(skill)}` : 'Which is better?';
  }, [skill]);

  // After a vote, Next has focus (Return goes on); before one, nothing does.
  useEffect(() => {
    if (phase === 'revealed' || phase === 'done') nextRef.current?.focus();
  }, [phase]);

  const close = () => void api.closeWindow().catch(() => undefined);

  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.metaKey || event.ctrlKey || event.altKey || isTextEntry(event.target)) return;
      if (event.key === 'Escape') {
        event.preventDefault();
        void api.closeWindow().catch(() => undefined);
        return;
      }
      const { phase: p, round: r } = store();
      // Number keys vote only while a round is being asked: never on the reveal.
      if (p !== 'ready' || !r) return;
      const key = event.key.toLowerCase();
      const option = r.options.find((o) => o.label === key);
      const choice = option ? option.label : key === 'n' ? 'none' : key === 's' ? 'skip' : null;
      if (choice) {
        event.preventDefault();
        void store().vote(api, choice);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [api]);

  const onOptionKey = (index: number) => (event: KeyboardEvent<HTMLButtonElement>) => {
    const count = round?.options.length ?? 0;
    const step =
      event.key === 'ArrowDown' || event.key === 'ArrowRight' ? 1 : event.key === 'ArrowUp' || event.key === 'ArrowLeft' ? -1 : 0;
    if (step && count) {
      event.preventDefault();
      optionRefs.current[(index + step + count) % count]?.focus();
    }
  };

  if (phase === 'loading' && !round)
    return (
      <div className="window choice">
        <StatusScreen title="Loading…" />
      </div>
    );

  if (phase === 'error' && !round) {
    return (
      <div className="window choice">
        <StatusScreen title="Couldn’t load the vote" detail={error} tone="warning">
          <button type="button" className="button" onClick={() => void store().load(api)}>
            Try Again
          </button>
        </StatusScreen>
      </div>
    );
  }

  if (phase === 'done' || !round) {
    return (
      <div className="window choice">
        <header className="choice__header">
          <h1 className="choice__title">Nothing to vote on</h1>
        </header>
        <div className="status-screen choice-done" role="status">
          <span className="choice-done__check" aria-hidden="true">
            <Icon name="check" />
          </span>
          <p className="choice-done__title">Thank you: that was every vote for now.</p>
          <p className="choice-done__detail">tinyArms asks again when it tests new prompts.</p>
          {error ? (
            <p className="inline-error" role="alert">
              {error}
            </p>
          ) : null}
          <button ref={nextRef} type="button" className="button button--default" onClick={close}>
            Close
          </button>
        </div>
      </div>
    );
  }

  const asking = phase === 'ready' || phase === 'voting';
  const busy = phase === 'voting' || phase === 'undoing';
  return (
    <div className="window choice" aria-busy={busy}>
      <header className="choice__header">
        <h1 className="choice__title">
          {skillTitle(round.skill)}: {choiceQuestion(round.skill)}
        </h1>
      </header>

      <main className="choice__body" ref={body}>
        {error ? (
          <p className="notice notice--warning" role="alert">
            {error}
          </p>
        ) : null}
        <TaskCard skill={round.skill} input={round.input} />
        {asking ? (
          <>
            <p className="choice__prompt" id="choice-prompt">
              Pick the one you would keep. Your votes stay on this Mac and teach {skillTitle(round.skill)} your taste.
            </p>
            <div className="choice__options" role="radiogroup" aria-labelledby="choice-prompt">
              {round.options.map((option, i) => (
                <ChoiceOption
                  key={`${round.taskId}-${option.label}`}
                  ref={(el) => {
                    optionRefs.current[i] = el;
                  }}
                  option={option}
                  checked={pending === option.label}
                  disabled={busy}
                  tabIndex={i === 0 ? 0 : -1}
                  onPick={(label) => void store().vote(api, label)}
                  onKeyDown={onOptionKey(i)}
                />
              ))}
            </div>
          </>
        ) : result ? (
          <Reveal result={result} />
        ) : null}
      </main>

      <footer className="choice__footer" ref={footer}>
        {asking ? (
          <>
            <div className="choice__actions">
              <button type="button" className="button" onClick={() => void store().vote(api, 'none')} disabled={busy} aria-keyshortcuts="N">
                None of them <kbd className="keycap keycap--inline">N</kbd>
              </button>
              <button type="button" className="button" onClick={() => void store().vote(api, 'skip')} disabled={busy} aria-keyshortcuts="S">
                Skip <kbd className="keycap keycap--inline">S</kbd>
              </button>
            </div>
            <span className="choice__votes tabular" aria-live="polite">
              {round.progress}
            </span>
          </>
        ) : (
          <>
            <div className="choice__actions">
              {result?.round.canUndo ? (
                <button type="button" className="button" onClick={() => void store().undo(api)} disabled={busy}>
                  <Icon name="undo" /> Undo
                </button>
              ) : null}
            </div>
            <button ref={nextRef} type="button" className="button button--default" onClick={() => void store().next(api)} disabled={busy}>
              Next
            </button>
          </>
        )}
      </footer>
    </div>
  );
}
