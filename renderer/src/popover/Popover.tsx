import { useRef } from 'react';
import type { AppStateView } from '../../../contract/api';
import { useApi } from '../api/api-context';
import { AppGlyph } from '../components/AppGlyph';
import { Icon } from '../components/Icon';
import { Switch } from '../components/Switch';
import { useAction } from '../hooks/use-action';
import { useCloseOnEscape } from '../hooks/use-close-on-escape';
import { useFitWindow } from '../hooks/use-fit-window';
import { costLine, gainLine } from '../lib/format';
import { FirstRunCard } from './FirstRunCard';
import { RenameSuggestions } from './RenameSuggestions';
import { ReviewCard } from './ReviewCard';
import { SkillRow } from './SkillRow';
import { WatchLine } from './WatchLine';

type DefaultAction = { kind: 'first-run' } | { kind: 'review'; skill: string } | { kind: 'vote' } | { kind: 'proposal'; id: string } | null;

/** The one default (blue) button of the popover: the most useful next step, in this order. */
function defaultAction(state: AppStateView): DefaultAction {
  if (!state.model.resolvedPath && !state.model.download) return { kind: 'first-run' };
  const review = state.skills.find((s) => s.review);
  if (review) return { kind: 'review', skill: review.skill };
  if (state.pendingVotes.length > 0) return { kind: 'vote' };
  const proposal = state.proposals.find((p) => p.status === 'pending' && p.kind === 'name' && p.proposed);
  return proposal ? { kind: 'proposal', id: proposal.id } : null;
}

export function Popover({ state }: { state: AppStateView }) {
  const api = useApi();
  const vote = useAction(() => api.openWindow('choice'));
  const preferences = useAction(() => api.openWindow('preferences'));
  const monitor = useAction(() => api.runMonitor());
  const pause = useAction(() => api.setEvolutionPaused(!state.evolutionPaused));
  const body = useRef<HTMLDivElement | null>(null);
  const footer = useRef<HTMLElement | null>(null);
  useFitWindow(api, { body, footer }, state.shell.kind === 'electron');
  useCloseOnEscape(api);

  const waiting = state.pendingVotes.length;
  const first = defaultAction(state);
  const noModel = !state.model.resolvedPath;
  const cost = costLine(state.month);
  const collecting = state.skills.find((s) => s.state.kind === 'collecting');
  const error = vote.error ?? preferences.error ?? monitor.error ?? pause.error;

  return (
    <div className="window popover">
      <header className="popover__header">
        <AppGlyph />
        <div className="popover__heading">
          <h1 className="popover__title">tinyArms</h1>
          {noModel ? <p className="popover__subtitle">Private skills that learn from you</p> : <WatchLine state={state} />}
        </div>
        <button
          type="button"
          className="icon-button"
          onClick={() => void monitor.run()}
          disabled={monitor.busy || noModel}
          aria-label="Check accuracy now"
          title="Check accuracy now"
        >
          <Icon name="refresh" className={monitor.busy ? 'spin' : undefined} />
        </button>
      </header>

      <div ref={body} className="popover__body">
        {state.evolutionPaused ? (
          <div className="banner banner--paused" role="status">
            <Icon name="pause" className="banner__icon" />
            <p className="banner__text">Evolution is paused: no new prompts are written. Tests you vote in go on.</p>
            <button type="button" className="button button--small" onClick={() => void pause.run()} disabled={pause.busy}>
              Resume
            </button>
          </div>
        ) : null}
        {noModel ? <FirstRunCard state={state} isDefault={first?.kind === 'first-run'} /> : null}

        {waiting > 0 ? (
          <section className="callout" aria-labelledby="votes-title">
            <div className="callout__text">
              <h2 className="callout__title" id="votes-title">
                {waiting === 1 ? 'A vote is waiting' : `${waiting} votes are waiting`}
              </h2>
              <p className="callout__detail">Which result would you keep? Your votes stay on this Mac.</p>
            </div>
            <button
              type="button"
              className={`button${first?.kind === 'vote' ? ' button--default' : ''}`}
              onClick={() => void vote.run()}
              disabled={vote.busy}
            >
              Vote…
            </button>
          </section>
        ) : null}

        {state.skills
          .filter((s) => s.review)
          .map((s) => (
            <ReviewCard key={s.skill} skill={s} isDefault={first?.kind === 'review' && first.skill === s.skill} />
          ))}

        <RenameSuggestions state={state} defaultProposal={first?.kind === 'proposal' ? first.id : null} />

        <section className="skills" aria-labelledby="skills-title">
          <h2 className="section-title" id="skills-title">
            Skills
          </h2>
          <ul className="skill-list" aria-label="Skills">
            {state.skills.map((skill) => (
              <SkillRow key={skill.skill} skill={skill} paused={state.evolutionPaused} />
            ))}
            {state.skills.length === 0 ? <li className="empty-note">No skills yet.</li> : null}
          </ul>
          {collecting ? <p className="hint-line skills__note">{collecting.state.detail}</p> : null}
        </section>

        {state.configProblems ? (
          <div className="banner banner--warning" role="alert">
            <Icon name="warning" className="banner__icon" />
            <p className="banner__text">Your config.yaml has a problem, so the last settings that worked are in use.</p>
            <button type="button" className="button button--small" onClick={() => void preferences.run()}>
              Show…
            </button>
          </div>
        ) : null}

        <p className="month-line">
          <span className="month-line__label">This month</span>{' '}
          {cost ? `${cost}; ${gainLine(state.month.gains)}.` : 'tinyArms has not asked anything of you yet.'}
        </p>
        {error ? (
          <p className="inline-error popover__error" role="alert">
            {error}
          </p>
        ) : null}
      </div>

      <footer ref={footer} className="popover__footer">
        <Switch
          className="switch-row--compact"
          label="Pause evolution"
          checked={state.evolutionPaused}
          onChange={() => void pause.run()}
          disabled={pause.busy}
        />
        <button type="button" className="button" onClick={() => void preferences.run()}>
          Preferences…
        </button>
      </footer>
    </div>
  );
}
