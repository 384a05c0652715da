import { describe, expect, it } from 'vitest';
import { applyChange, classifyChange } from './structural-diff';

const BASE = 'You name files.\nBe concise.\n\nFile: {{input}}';

describe('structural diff classifier', () => {
  it('names an added output rule and an added instruction in words', () => {
    const changes = classifyChange(
      BASE,
      'You name files.\nBe concise.\nName the subject first.\nReply with only the name.\n\nFile: {{input}}',
    );
    expect(changes.map((c) => [c.kind, c.description])).toEqual([
      ['instruction', 'added the instruction: "Name the subject first."'],
      ['output_rule', 'added an output rule: "Reply with only the name."'],
    ]);
  });

  it('names a section with its lines and an examples block as one change each', () => {
    const section = classifyChange(BASE, 'You name files.\nRules:\nUse kebab-case.\nKeep the extension.\nBe concise.\n\nFile: {{input}}');
    expect(section).toEqual([
      {
        kind: 'section',
        description: 'added a section "Rules:" with 2 line(s)',
        lines: ['Rules:', 'Use kebab-case.', 'Keep the extension.'],
      },
    ]);
    const examples = classifyChange(
      BASE,
      `${BASE.replace('\n\nFile', '\nExamples of good answers:\n- a.png → cat.png\n- b.png → dog.png\n\nFile')}`,
    );
    expect(examples.map((c) => c.kind)).toEqual(['examples']);
    expect(examples[0].description).toBe('added an examples block (2 example lines)');
  });

  it('names a reordering when no line was added', () => {
    expect(classifyChange(BASE, 'Be concise.\nYou name files.\n\nFile: {{input}}')).toEqual([
      { kind: 'order', description: 'moved "Be concise." before "You name files."', lines: ['Be concise.'] },
    ]);
  });

  it('finds nothing to learn from a removal or an identical prompt', () => {
    expect(classifyChange(BASE, 'You name files.\n\nFile: {{input}}')).toEqual([]);
    expect(classifyChange(BASE, BASE)).toEqual([]);
  });

  it('applies a change just before the input slot', () => {
    expect(applyChange(BASE, { kind: 'output_rule', description: '', lines: ['Reply with only the name.'] })).toBe(
      'You name files.\nBe concise.\nReply with only the name.\n\nFile: {{input}}',
    );
  });
});
