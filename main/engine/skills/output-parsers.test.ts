import { describe, expect, it } from 'vitest';
import { MAX_FILENAME_LENGTH, parseOutput } from './output-parsers';

describe('parseOutput filename', () => {
  it.each([
    ['hero-section-mobile.png', 'hero-section-mobile.png'],
    ['  hero-section-mobile.png  \n', 'hero-section-mobile.png'],
    ['Filename: foo-bar.png', 'foo-bar.png'],
    ['**Filename:** `dashboard-revenue-chart.png`', 'dashboard-revenue-chart.png'],
    ['Suggested filename: beach-sunset.jpg', 'beach-sunset.jpg'],
    ['Rename to: team-offsite-2024.jpg', 'team-offsite-2024.jpg'],
    ['"hero-section.png"', 'hero-section.png'],
    ["'hero-section.png'", 'hero-section.png'],
    ['“hero-section.png”', 'hero-section.png'],
    ['hero-section-mobile.png.', 'hero-section-mobile.png'],
    ['hero-section-mobile.png - This name describes the hero section.', 'hero-section-mobile.png'],
    ['hero.png (kebab-case, concise)', 'hero.png'],
    ['I would name it "login-error-state.png" because it shows the error.', 'login-error-state.png'],
    ['Sure! Here is a descriptive filename for the image:\n\n`hero-section-mobile.png`', 'hero-section-mobile.png'],
    ['Filename:\nhero-section-mobile.png', 'hero-section-mobile.png'],
    ['```\nfoo-bar.png\n```', 'foo-bar.png'],
    ['hero-section-mobile\nThis name is short and descriptive.', 'hero-section-mobile'],
    ['1. sunset-beach.jpg\n2. beach-sunset.jpg', 'sunset-beach.jpg'],
    ['Screenshot 2024-01-05 at 10.42.13.png', 'Screenshot 2024-01-05 at 10.42.13.png'], // spaces kept as-is
    ['Name: name-tag-design.png', 'name-tag-design.png'],
    ['name-tag-design.png', 'name-tag-design.png'],
    ['before/after-comparison.png', 'before-after-comparison.png'],
    ['', ''],
    ['  \n\n ', ''],
  ])('%j → %j', (raw, cleaned) => {
    expect(parseOutput('filename', raw)).toBe(cleaned);
  });

  it('keeps long names within the limit and keeps their extension', () => {
    const cleaned = parseOutput('filename', `${'very-long-name-'.repeat(30)}final.png`);
    expect(Array.from(cleaned)).toHaveLength(MAX_FILENAME_LENGTH);
    expect(cleaned.endsWith('.png')).toBe(true);
    expect(Array.from(parseOutput('filename', '🎉'.repeat(300)))).toHaveLength(MAX_FILENAME_LENGTH);
  });
});

describe('parseOutput list', () => {
  it('turns any bullet style into "- item" lines and drops lead-ins', () => {
    const raw = 'Here are the action items:\n\n1. Email Sarah the budget\n2) Book a room\n* [ ] Call the dentist\n• **Renew** passport';
    expect(parseOutput('list', raw)).toBe('- Email Sarah the budget\n- Book a room\n- Call the dentist\n- Renew passport');
  });

  it('turns "None" into an empty list', () => {
    expect(parseOutput('list', 'None')).toBe('');
    expect(parseOutput('list', 'Action items:\n- None.')).toBe('');
  });
});

describe('parseOutput text', () => {
  it('drops a chatty lead-in and a fence around the whole answer', () => {
    expect(parseOutput('text', 'Sure! Here is the summary:\n```markdown\n- API: renamed fetchAll\n```\n')).toBe('- API: renamed fetchAll');
    expect(parseOutput('text', '\r\n- A changed\r\n- B removed\r\n')).toBe('- A changed\n- B removed');
  });
});

describe('parseOutput lint', () => {
  it('normalises findings to "line: rule" and drops prose', () => {
    const raw = [
      'I found these problems:',
      '- Line 12 — no-hardcoded-colors: uses #ff0000',
      'L30 no-console-log',
      'no-hardcoded-secrets (line 4)',
      '7: uses a hard-coded number (no-magic-numbers)',
      'Line 12: no-hardcoded-colors',
    ].join('\n');
    expect(parseOutput('lint', raw)).toBe('12: no-hardcoded-colors\n30: no-console-log\n4: no-hardcoded-secrets\n7: no-magic-numbers');
  });

  it('turns OK into no findings', () => {
    expect(parseOutput('lint', 'OK')).toBe('');
    expect(parseOutput('lint', 'No issues found.')).toBe('');
  });
});
