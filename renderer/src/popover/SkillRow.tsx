import type { SkillView } from '../../../contract/api';
import { useApi } from '../api/api-context';
import { Icon } from '../components/Icon';
import { Sparkline } from '../components/Sparkline';
import { useAction } from '../hooks/use-action';
import { formatDay, pct, skillTitle } from '../lib/format';
import { EvolutionCard } from './EvolutionCard';
import { TeamOfferRow } from './TeamOfferRow';

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

/** One skill: its accuracy and chart, its one live state in words, and what can be done now. */
export function SkillRow({ skill, paused }: { skill: SkillView; paused: boolean }) {
  const api = useApi();
  const evolve = useAction(() => api.startEvolution(skill.skill));
  const title = skillTitle(skill.skill);
  const id = `skill-${skill.skill}`;
  // "Evolve now" is the point of "Needs a better prompt"; elsewhere it is a row action that shows on hover.
  const wanted = skill.state.kind === 'needs-prompt' && !skill.evolution;
  return (
    <li className="skill" aria-labelledby={`${id}-title`}>
      <div className="skill__head">
        <h3 className="skill__title" id={`${id}-title`}>
          {title}
        </h3>
        <span className="version-badge" title={`Version ${skill.version}, in use since ${formatDay(skill.activeSince)}`}>
          v{skill.version}
        </span>
        <span className="skill__spacer" />
        <Sparkline insight={skill.insight} />
        <span className="skill__accuracy tabular" title="Results you kept, of those you reviewed">
          {pct(skill.accuracy)}
        </span>
        <Trend skill={skill} />
      </div>
      <p
        className={`skill__state skill__state--${skill.state.tone}`}
        title={skill.state.kind === 'collecting' ? skill.state.detail : undefined}
      >
        <span className="skill__dot" aria-hidden="true" />
        <span className="skill__label">{skill.state.label}</span>
      </p>
      {/* An evolution's card says where it is; what "collecting" means is said once, under the list. */}
      {skill.evolution || skill.state.kind === 'collecting' ? null : <p className="skill__detail">{skill.state.detail}</p>}
      {skill.evolution ? <EvolutionCard skill={skill.skill} evolution={skill.evolution} paused={paused} /> : null}
      {skill.teamOffer ? <TeamOfferRow skill={skill.skill} offer={skill.teamOffer} /> : null}
      {skill.canEvolve && !skill.evolution ? (
        <div className={`skill__actions${wanted ? ' skill__actions--shown' : ''}`}>
          <button type="button" className="button button--small" onClick={() => void evolve.run()} disabled={evolve.busy}>
            Evolve Now
          </button>
        </div>
      ) : null}
      {evolve.error ? (
        <p className="inline-error" role="alert">
          {evolve.error}
        </p>
      ) : null}
    </li>
  );
}
