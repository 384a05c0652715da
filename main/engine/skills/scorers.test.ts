import { describe, expect, it } from 'vitest';
import { UserError } from '../util/errors';
import { parseOutput } from './output-parsers';
import { getScorer, scoreFilename, scoreLint, scoreList, scoreText, scorerNames } from './scorers';

describe('filename scorer', () => {
  // [model output, user's final name, expected score, success]
  it.each([
    ['hero-section-mobile.png', 'hero-section-mobile.png', 1, true],
    ['Hero_Section Mobile.PNG', 'hero-section-mobile.png', 1, true],
    ['dashboardFinalV2.png', 'dashboard-final-v2.png', 1, true],
    ['dashboard_FINAL_v3.png', 'dashboard-final-v3.png', 1, true],
    ['IMG_4521.JPG', 'img-4521.jpg', 1, true],
    ['Screenshot 2024-01-05 at 10.42.13.png', 'screenshot-2024-01-05-at-10-42-13.png', 1, true],
    ['invoice-acme-march', 'invoice-acme-march.pdf', 1, true], // extension ignored
    ['beach-photo.jpeg', 'beach-photo.jpg', 1, true],
    ['screen-shot-login.png', 'screenshot-login.png', 1, true], // same letters, only split differently
    ['iPhone15ProMockup.png', 'iphone-15-pro-mockup.png', 1, true],
    ['HTMLParser-diagram.svg', 'html-parser-diagram.svg', 1, true],
    ['Café-Menü.png', 'cafe-menu.png', 1, true],
    ['🎉 party-invite.png', 'party-invite.png', 1, true],
    ["Mom's birthday cake.jpg", 'moms-birthday-cake.jpg', 1, true],
    ['"hero-section.png"', 'hero-section.png', 1, true], // stray quotes are not words
    ['release-notes-v1.2.md', 'release-notes-v1-2.md', 1, true], // ".2" is not an extension
    ['会议记录.png', '会议记录.png', 1, true],
    ['hero-mobile-v1.png', 'hero-section-mobile-landing.png', 0.5, false],
    ['mobile-hero.png', 'hero-mobile.png', 0.5, false], // order matters
    ['login-screen-error-state.png', 'login-screen-error.png', 0.75, false],
    ['dashboard-v2.png', 'dashboard-v3.png', 0.5, false],
    ['2024-03-15-team-photo.jpg', 'team-photo-2024-03-15.jpg', 0.6, false],
    ['a-screenshot-of-the-dashboard-showing-the-revenue-chart', 'dashboard-revenue-chart.png', 3 / 9, false],
    ['IMG_4521.jpg', 'beach-sunset-2024.jpg', 0, false], // the model just echoed the camera name
    ['settings-page.png', 'invoice-template.pdf', 0, false],
    ['', 'hero-section.png', 0, false],
    ['"" ', 'hero-section.png', 0, false],
    ['hero.png', '', 0, false],
    ['', '', 1, true],
  ])('%j vs %j', (output, expected, score, success) => {
    const result = scoreFilename(output, expected);
    expect(result.score).toBeCloseTo(score, 5);
    expect(result.success).toBe(success);
  });

  it('is symmetric', () => {
    expect(scoreFilename('hero-mobile-v1.png', 'hero-section-mobile-landing.png')).toEqual(
      scoreFilename('hero-section-mobile-landing.png', 'hero-mobile-v1.png'),
    );
  });

  it('leaves labels to the output parser: raw chatter scores partial, the parsed answer scores 1', () => {
    for (const raw of ['Filename: foo-bar.png', 'foo-bar.png - a short, descriptive name', 'Sure! Here it is:\n`foo-bar.png`']) {
      expect(scoreFilename(raw, 'foo-bar.png').success).toBe(false);
      expect(scoreFilename(parseOutput('filename', raw), 'foo-bar.png')).toEqual({ score: 1, success: true });
    }
  });
});

describe('list scorer (audio-actions)', () => {
  const model = '- Email Sarah the Q3 budget by Friday\n- Book a room for the offsite\n- Call the dentist';

  it('scores the same items in another order and format as a success', () => {
    const user = '1. Call the dentist\n2. Email Sarah the Q3 budget by Friday\n3. Book a room for the offsite';
    expect(scoreList(model, user)).toEqual({ score: 1, success: true });
  });

  it('tolerates light rewording', () => {
    const user = '- Email Sarah the Q3 budget before Friday\n- Book a room for the offsite\n- Call the dentist';
    const result = scoreList(model, user);
    expect(result.score).toBeGreaterThan(0.9);
    expect(result.success).toBe(true);
  });

  it('costs a whole item for a missing or invented one', () => {
    const missing = scoreList(model, '- Email Sarah the Q3 budget by Friday\n- Book a room for the offsite');
    expect(missing.score).toBeCloseTo(0.8, 5);
    expect(missing.success).toBe(false);
    const extra = scoreList(model, `${model}\n- Renew the passport`);
    expect(extra.score).toBeCloseTo(6 / 7, 5);
    expect(extra.success).toBe(false);
  });

  it('does not pair different actions that share a name', () => {
    const result = scoreList('- Call Sarah about the budget', '- Email Sarah the contract');
    expect(result).toEqual({ score: 0, success: false });
  });

  it('treats "None" as an empty list', () => {
    expect(scoreList('None', '')).toEqual({ score: 1, success: true });
    expect(scoreList('No action items.', '- Call the dentist')).toEqual({ score: 0, success: false });
  });
});

describe('text scorer (markdown-analysis)', () => {
  const summary = [
    '- Installation: added a Windows section with winget steps',
    '- Configuration: removed the deprecated legacyMode option',
    '- API: renamed fetchAll to listAll',
  ].join('\n');

  it.each([
    ['identical', summary, true],
    ['a few words added', summary.replace('winget steps', 'winget and scoop steps'), true],
    ['one line reworded', summary.replace('added a Windows section with winget steps', 'added Windows steps (winget)'), true],
    ['one of three lines removed', summary.split('\n').slice(0, 2).join('\n'), true],
    [
      'rewritten in other words',
      '- Windows install instructions now exist\n- legacyMode config option is gone\n- fetchAll is now called listAll',
      false,
    ],
    ['a different change', '- Added a FAQ section about proxies', false],
  ])('%s', (_label, user, success) => {
    expect(scoreText(summary, user).success).toBe(success);
  });

  it('ignores markdown symbols, case and punctuation', () => {
    expect(scoreText('## API\n* **Renamed** `fetchAll` to `listAll`.', 'api: renamed fetchall to listall')).toEqual({
      score: 1,
      success: true,
    });
  });

  it('is ROUGE-L F1', () => {
    // LCS("a b c d", "a c d e") = 3 → 2·3/(4+4)
    expect(scoreText('a b c d', 'a c d e').score).toBeCloseTo(0.75, 5);
    expect(scoreText('No important changes', 'No important changes')).toEqual({ score: 1, success: true });
    expect(scoreText('', 'something')).toEqual({ score: 0, success: false });
  });
});

describe('lint scorer (code-linting-fast)', () => {
  it('matches findings by rule and line, in any order and wording', () => {
    const output = '12: no-hardcoded-colors\n30: no-console-log';
    expect(scoreLint(output, 'Line 30 — no-console-log: remove it\nline 12: no-hardcoded-colors')).toEqual({
      score: 1,
      success: true,
    });
  });

  it('gives half credit for the right rule on another line', () => {
    const result = scoreLint('12: no-hardcoded-colors', '14: no-hardcoded-colors');
    expect(result).toEqual({ score: 0.5, success: false });
  });

  it('is F1 over findings', () => {
    const result = scoreLint('12: no-hardcoded-colors\n3: no-magic-numbers', '12: no-hardcoded-colors');
    expect(result.score).toBeCloseTo(2 / 3, 5);
    expect(result.success).toBe(false);
  });

  it('counts "no findings" on both sides as right', () => {
    expect(scoreLint('OK', '')).toEqual({ score: 1, success: true });
    expect(scoreLint('OK', '4: no-hardcoded-secrets')).toEqual({ score: 0, success: false });
  });
});

describe('getScorer', () => {
  it('returns every named scorer and rejects unknown names', () => {
    expect([...scorerNames]).toEqual(['filename', 'list', 'text', 'lint']);
    for (const name of scorerNames) expect(typeof getScorer(name)).toBe('function');
    for (const name of ['bleu', 'toString', '__proto__']) {
      const error = (() => {
        try {
          getScorer(name);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).code).toBe('unknown_scorer');
    }
  });

  it('keeps every score in [0, 1]', () => {
    const samples = ['', 'a', 'a b c', '- x\n- y', '12: no-x-y', '🎉', 'IMG_0001.HEIC'];
    for (const name of scorerNames) {
      for (const a of samples) {
        for (const b of samples) {
          const { score } = getScorer(name)(a, b);
          expect(score).toBeGreaterThanOrEqual(0);
          expect(score).toBeLessThanOrEqual(1);
        }
      }
    }
  });
});
