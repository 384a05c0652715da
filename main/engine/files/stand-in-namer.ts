import type { SkillRunner } from '../serving/types';
import { filenameWords } from '../skills/filename-words';

/** What the stand-in sees: the file description the model would get, and the arm asking. */
export type StandInPick = (input: string, context: { variant: string | null }) => string;

/**
 * A deterministic file namer for tests and the demo, in place of the model: a kebab-case name from what the
 * description says (a PDF's title, a text's first words, else the file's name, plus an image's size), the arm
 * letter appended for A/B arms. Pass `pick` to script exact answers.
 */
export function standInNamer(pick: StandInPick = describeForName): SkillRunner {
  return {
    async run(_skill, _prompt, input, options = {}) {
      return pick(input, { variant: options.variant ?? null });
    },
  };
}

function describeForName(input: string, { variant }: { variant: string | null }): string {
  const [first] = input.split('\n');
  const fileName = first.split(' — ')[0];
  const dot = fileName.lastIndexOf('.');
  const extension = dot > 0 ? fileName.slice(dot) : '';
  const quoted = (label: string) => new RegExp(`^${label}: "(.*)"$`, 'm').exec(input)?.[1];
  const source = quoted('Title') ?? quoted('Starts') ?? (dot > 0 ? fileName.slice(0, dot) : fileName);
  const words = filenameWords(source).slice(0, 5);
  const size = /, (\d+)×(\d+),/.exec(first);
  if (size) words.push(`${size[1]}x${size[2]}`);
  if (variant) words.push(variant.toLowerCase());
  return `${(words.length ? words : ['file']).join('-')}${extension.toLowerCase()}`;
}
