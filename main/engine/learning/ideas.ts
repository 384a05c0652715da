import { sha256 } from '../util/ids';
import type { IdeaKind, IdeaRef } from './types';

/** A library id: the same idea gets the same id in every data folder and every skill. */
export const ideaId = (kind: IdeaKind, text: string): string => `${kind}:${sha256(`${kind}\n${text.trim()}`).slice(0, 12)}`;

export const idea = (kind: IdeaKind, text: string): IdeaRef => ({ id: ideaId(kind, text), kind, text: text.trim() });

/** Ideas of a lineage: parents' first, then the new ones; duplicates dropped; at most `max`, the newest kept. */
export function mergeIdeas(max: number, ...lists: readonly (readonly IdeaRef[] | undefined)[]): IdeaRef[] {
  const seen = new Map<string, IdeaRef>();
  for (const list of lists)
    for (const item of list ?? []) {
      seen.delete(item.id);
      seen.set(item.id, item);
    }
  return [...seen.values()].slice(-max);
}
