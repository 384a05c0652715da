import { useMemo } from 'react';
import type { SkillView } from '../../../contract/api';
import { useApi } from '../api/api-context';
import { useAction } from '../hooks/use-action';
import { DiffLines } from '../components/DiffLines';
import { diffStats, lineDiff } from '../lib/line-diff';
import { inputLabel, skillTitle } from '../lib/format';
import { PinButton } from './PinButton';

/** A test's winner to look at before it is used: the prompt as a diff of the current one, what both made of the same inputs. */
export function ReviewCard({ skill, isDefault }: { skill: SkillView; isDefault: boolean }) {
  const api = useApi();
  const review = skill.review!;
  const promote = useAction(() => api.promote(skill.skill, review.letter));
  const keep = useAction(() => api.keepCurrent(skill.skill));
  const lines = useMemo(() => lineDiff(review.currentPrompt, review.newPrompt), [review.currentPrompt, review.newPrompt]);
  const stats = diffStats(lines);
  const title = skillTitle(skill.skill);
  const id = `review-${skill.skill}`;
  const withCurrent = review.samples.some((s) => s.current !== null);
  const pinnable = review.samples.some((s) => s.taskId !== null);
  const busy = promote.busy || keep.busy;
  return (
    <section className="card review" aria-labelledby={`${id}-title`}>
      <h2 className="card__title" id={`${id}-title`}>
        {title}: {review.reason === 'decided' ? 'a new prompt won' : 'look at the new prompt'}
      </h2>
      <p className="card__text">{review.summary}</p>
      {review.learnedFrom ? <p className="card__text review__learned">Idea {review.learnedFrom}.</p> : null}
      <figure className="review__diff">
        <figcaption className="review__caption">
          What changes in the prompt{' '}
          <span className="tabular review__stats">
            +{stats.added} −{stats.removed}
          </span>
        </figcaption>
        <DiffLines lines={lines} />
      </figure>
      {review.samples.length > 0 ? (
        <table className="review__samples">
          <caption className="review__caption">
            {withCurrent ? 'What each prompt made of the same input' : 'What the new prompt made'}
          </caption>
          <thead>
            <tr>
              <th scope="col">{inputLabel(skill.skill)}</th>
              {withCurrent ? <th scope="col">Now</th> : null}
              <th scope="col">New</th>
              {pinnable ? (
                <th scope="col">
                  <span className="visually-hidden">Gold example</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {review.samples.map((s, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the samples are a fixed list; the position is the identity
              <tr key={i}>
                <td className="mono">{s.input}</td>
                {withCurrent ? <td className="mono">{s.current ?? '—'}</td> : null}
                <td className="mono">{s.proposed}</td>
                {pinnable ? <td>{s.taskId ? <PinButton taskId={s.taskId} pinned={s.pinned} input={s.input} /> : null}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <div className="card__actions card__actions--end">
        <button type="button" className="button" onClick={() => void keep.run()} disabled={busy}>
          Keep Current
        </button>
        <button type="button" className={`button${isDefault ? ' button--default' : ''}`} onClick={() => void promote.run()} disabled={busy}>
          Promote
        </button>
      </div>
      {(promote.error ?? keep.error) ? (
        <p className="inline-error" role="alert">
          {promote.error ?? keep.error}
        </p>
      ) : null}
    </section>
  );
}
