import { useEffect, useId } from 'react';
import type { AppStateView, SkillView, VersionView } from '../../../contract/api';
import { AccuracyChart } from '../components/AccuracyChart';
import { ConfirmSheet } from '../components/Sheet';
import { useApi } from '../api/api-context';
import { formatDay, gain, pct, plural, skillTitle } from '../lib/format';
import { useHistoryStore } from '../stores/use-history-store';
import { VersionDiff } from './VersionDiff';

function RollbackSheet({ skill, version, current }: { skill: string; version: number; current: number | null }) {
  const api = useApi();
  const { rollingBack, cancelRollback, confirmRollback } = useHistoryStore();
  return (
    <ConfirmSheet
      id="rollback"
      title={`Roll back ${skillTitle(skill)} to version ${version}?`}
      text={`Version ${version} becomes the prompt in use again.${current !== null ? ` Version ${current} stays in the history, so you can return to it.` : ''}`}
      onCancel={cancelRollback}
      confirmLabel="Roll Back"
      onConfirm={() => void confirmRollback(api)}
      busy={rollingBack}
    />
  );
}

function ResetSheet({ skill, current }: { skill: string; current: number | null }) {
  const api = useApi();
  const { rollingBack, cancelReset, resetToDefault } = useHistoryStore();
  return (
    <ConfirmSheet
      id="reset"
      title={`Reset ${skillTitle(skill)} to its default prompt?`}
      text={
        'The prompt tinyArms shipped with (version 1) becomes the prompt in use again.' +
        (current !== null ? ` Version ${current} and every other version stay in the history, so you can return to them.` : '')
      }
      onCancel={cancelReset}
      confirmLabel="Reset"
      onConfirm={() => void resetToDefault(api)}
      busy={rollingBack}
    />
  );
}

/** Why the reset button is disabled, for its tooltip. */
function resetHint(skill: SkillView): string {
  if (skill.canReset) return 'Go back to the prompt tinyArms shipped with; every version stays in the history.';
  if (!skill.evolvable) return 'This skill’s prompt is fixed: it always runs its default.';
  if (skill.version === 1) return 'This skill already runs its default prompt.';
  return 'Wait until its test or evolution has finished.';
}

/** This month's cost (only what happened: no "0 votes asked") and gain, as one sentence. */
function monthLine(month: SkillView['insight']['month']): string {
  const cost = [
    month.votesAsked > 0 ? `${plural(month.votesAsked, 'vote')} asked (${month.votesGiven} given)` : null,
    month.evolutionsRun > 0 ? `${plural(month.evolutionsRun, 'evolution')} run` : null,
  ].filter((part) => part !== null);
  const gains = month.promotions.map((p) => `version ${p.version}: ${gain(p.before, p.after)}`);
  if (cost.length === 0 && gains.length === 0) return 'This month: nothing asked of you for this skill yet.';
  return `This month: ${[cost.join(', '), gains.length ? gains.join(', ') : 'no promotion yet'].filter(Boolean).join('; ')}.`;
}

/** The selected skill's accuracy over the weeks, and what tinyArms cost and gained for it this month. */
function Insight({ skill }: { skill: SkillView }) {
  return (
    <section className="insight" aria-label={`Accuracy of ${skillTitle(skill.skill)}`}>
      <AccuracyChart insight={skill.insight} />
      <p className="insight__month">{monthLine(skill.insight.month)}</p>
      {skill.lastCheck ? (
        <p className="insight__check" title="The accuracy monitor’s last check">
          Last check: {skill.lastCheck}
        </p>
      ) : null}
    </section>
  );
}

function VersionRow({
  version,
  index,
  checked,
  onToggle,
}: {
  version: VersionView;
  index: number;
  checked: boolean;
  onToggle(i: number): void;
}) {
  const id = useId();
  return (
    <li className={`version-row${checked ? ' version-row--selected' : ''}`}>
      <input
        id={id}
        type="checkbox"
        className="checkbox"
        checked={checked}
        onChange={() => onToggle(index)}
        aria-label={`Select version ${version.version} (${formatDay(version.activeFrom)})`}
      />
      <label htmlFor={id} className="version-row__body">
        <span className="version-row__title">
          <span className="version-badge">v{version.version}</span>
          {version.current ? <span className="tag tag--accent">Current</span> : null}
          <span className="version-row__period tabular">
            {formatDay(version.activeFrom)} – {version.activeTo ? formatDay(version.activeTo) : 'now'}
          </span>
        </span>
        <span className="version-row__meta">
          <span className="tabular">{version.accuracyEnd === null ? 'no accuracy yet' : `accuracy ${pct(version.accuracyEnd)}`}</span>
          {version.source ? (
            <span className="version-row__source" title={version.notes ?? version.source}>
              {' '}
              · {version.source}
            </span>
          ) : null}
        </span>
        {version.learnedFrom ? <span className="version-row__learned">{version.learnedFrom}</span> : null}
      </label>
    </li>
  );
}

export function HistoryPane({ state }: { state: AppStateView }) {
  const api = useApi();
  const selectId = useId();
  const { skill, history, loading, error, selected, confirmVersion, confirmReset, notice } = useHistoryStore();
  const { selectSkill, toggleRow, askRollback, askReset, refresh } = useHistoryStore();
  const skillView = state.skills.find((s) => s.skill === skill) ?? null;
  const activeVersion = skillView?.version ?? null;

  useEffect(() => {
    if (!skill && state.skills.length > 0) void selectSkill(api, state.skills[0].skill);
  }, [api, skill, state.skills, selectSkill]);

  // A promotion or rollback elsewhere changes the version: reload the list (on that change only, not on every
  // reload of the list itself).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the active version changes, by design
  useEffect(() => {
    if (skill && history && activeVersion !== null && !history.versions.some((v) => v.current && v.version === activeVersion))
      void refresh(api);
  }, [api, activeVersion]);

  const versions = history?.versions ?? [];
  const picked = [...selected]
    .sort((a, b) => a - b)
    .map((i) => versions[i])
    .filter(Boolean);
  const currentVersion = versions.find((v) => v.current)?.version ?? activeVersion;
  const single = picked.length === 1 ? picked[0] : null;

  return (
    <div className="pane pane--history">
      <div className="history-bar">
        <label htmlFor={selectId} className="history-bar__label">
          Skill
        </label>
        <select id={selectId} className="popup-button" value={skill ?? ''} onChange={(e) => void selectSkill(api, e.currentTarget.value)}>
          {state.skills.map((s) => (
            <option key={s.skill} value={s.skill}>
              {skillTitle(s.skill)}
            </option>
          ))}
        </select>
        <span className="history-bar__hint">Select one version to read it, two to compare.</span>
        {skillView ? (
          <button
            type="button"
            className="button button--small"
            onClick={askReset}
            disabled={!skillView.canReset}
            title={resetHint(skillView)}
          >
            Reset to Default Prompt…
          </button>
        ) : null}
      </div>
      {skillView?.resetSuggestion ? (
        <p className="notice" role="status">
          {skillView.resetSuggestion}
        </p>
      ) : null}

      {skillView ? <Insight skill={skillView} /> : null}
      {error ? (
        <p className="inline-error" role="alert">
          {error}
        </p>
      ) : null}
      {notice ? (
        <p className="notice notice--good" role="status">
          {notice}
        </p>
      ) : null}

      <div className="history">
        <ul className="version-list" aria-label="Prompt versions" aria-busy={loading}>
          {[...versions.keys()].reverse().map((i) => (
            <VersionRow key={i} version={versions[i]} index={i} checked={selected.includes(i)} onToggle={toggleRow} />
          ))}
          {!loading && history && versions.length === 0 ? <li className="empty-note">No versions yet.</li> : null}
        </ul>

        <div className="history-detail">
          {picked.length === 2 ? <VersionDiff from={picked[0]} to={picked[1]} /> : null}
          {single ? (
            <section className="prompt-view" aria-label={`Prompt of version ${single.version}`}>
              <header className="prompt-view__head">
                <span>
                  Version {single.version}
                  {single.notes ? ` — ${single.notes}` : ''}
                </span>
                {single.version !== currentVersion ? (
                  <button type="button" className="button button--small" onClick={() => askRollback(single.version)}>
                    Roll back to v{single.version}
                  </button>
                ) : null}
              </header>
              <pre className="prompt-view__text mono">{single.prompt}</pre>
            </section>
          ) : null}
          {picked.length === 0 ? <p className="empty-note history-detail__empty">No version selected.</p> : null}
        </div>
      </div>

      {confirmVersion !== null && skill ? <RollbackSheet skill={skill} version={confirmVersion} current={currentVersion} /> : null}
      {confirmReset && skill ? <ResetSheet skill={skill} current={currentVersion} /> : null}
    </div>
  );
}
