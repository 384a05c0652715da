import type { SkillView } from '../../../contract/api';
import { Icon } from '../components/Icon';
import { formatDay, pct, skillTitle, verdictLabel } from '../lib/format';
import { EvolutionProgress } from './EvolutionProgress';
import { SessionSummary } from './SessionSummary';

const VERDICT_TONE: Record<string, string> = {
  healthy: 'good',
  triggered: 'bad',
  rolled_back: 'bad',
  cooling_down: 'warn',
  testing: 'accent',
  too_few_samples: 'muted',
  disabled: 'muted',
  not_evolvable: 'muted',
};

function Trend({ skill }: { skill: SkillView }) {
  const trend = skill.trend;
  if (!trend) return null;
  const label = trend === 'flat' ? `steady at ${pct(skill.previousAccuracy)}` : `${trend} from ${pct(skill.previousAccuracy)}`;
  return (
    <span className={`trend trend--${trend}`} title={label} aria-label={label} role="img">
      <Icon name={trend === 'up' ? 'arrow-up' : trend === 'down' ? 'arrow-down' : 'arrow-flat'} />
    </span>
  );
}

export function SkillRow({ skill }: { skill: SkillView }) {
  const title = skillTitle(skill.skill);
  const verdict = verdictLabel(skill.verdict);
  // The monitor's reason already counts the tasks; with a test running, the A/B panel says the rest.
  const showReason = Boolean(verdict && skill.verdictReason && !(skill.verdict === 'testing' && skill.session));
  return (
    <li className="skill" aria-label={title}>
      <div className="skill__head">
        <div className="skill__name">
          <span className="skill__title">{title}</span>
          <span className="version-badge" title={`Active since ${formatDay(skill.activeSince)}`}>v{skill.version}</span>
        </div>
        <div className="skill__accuracy">
          <span className="skill__accuracy-value tabular">{pct(skill.accuracy)}</span>
          <Trend skill={skill} />
        </div>
      </div>
      <div className="skill__status">
        {verdict ? (
          <p className={`verdict verdict--${VERDICT_TONE[skill.verdict ?? ''] ?? 'muted'}`} title={skill.verdictReason ?? undefined}>
            <span className="verdict__dot" aria-hidden="true" />
            <span className="verdict__label">{verdict}</span>
            {showReason ? <span className="verdict__reason">{skill.verdictReason}</span> : null}
          </p>
        ) : (
          <p className="verdict verdict--muted">
            <span className="verdict__dot" aria-hidden="true" />
            <span className="verdict__label">Not checked yet</span>
          </p>
        )}
        {showReason ? null : (
          <span className="skill__samples tabular" title={`Tasks with feedback since ${formatDay(skill.activeSince)}`}>
            {skill.samples} {skill.samples === 1 ? 'task' : 'tasks'}
          </span>
        )}
      </div>
      {skill.evolution ? <EvolutionProgress evolution={skill.evolution} /> : null}
      {skill.session ? <SessionSummary session={skill.session} /> : null}
    </li>
  );
}
