import { describe, expect, it } from 'vitest';
import { fileExtension, sanitizeFileName, truncateUtf8, utf8Bytes, withCounter } from './sanitize';

const safe = (proposed: string, original = 'Screenshot 2026-03-02 at 09.41.12.png', maxBytes?: number) =>
  sanitizeFileName(proposed, original, { maxBytes }).name;

describe('sanitizeFileName', () => {
  it("keeps a good name and the user's style, adding the original extension", () => {
    expect(safe('login-screen-error')).toBe('login-screen-error.png');
    expect(safe('Login Screen – Error (v2)')).toBe('Login Screen – Error (v2).png');
    expect(safe('meeting.notes', 'x.txt')).toBe('meeting.notes.txt');
    expect(safe('release-v1.2', 'notes')).toBe('release-v1.2');
  });

  it("replaces the model's extension with the file's own, keeping its case", () => {
    expect(safe('sunset.jpg')).toBe('sunset.png');
    expect(safe('sunset.PNG')).toBe('sunset.png');
    expect(safe('photo.png.png')).toBe('photo.png');
    expect(safe('Report.pdf', 'IMG_1.JPG')).toBe('Report.JPG');
    expect(safe('notes.txt', 'README')).toBe('notes');
    expect(sanitizeFileName('sunset.jpg', 'a.png').changes).toEqual(['kept the extension .png instead of .jpg']);
  });

  it('never yields a path, a hidden file or a control character', () => {
    expect(safe('../../etc/passwd')).toBe('etc-passwd.png');
    expect(safe('/etc/passwd')).toBe('etc-passwd.png');
    expect(safe('..\\..\\win.ini')).toBe('win.png');
    expect(safe('.hidden')).toBe('hidden.png');
    expect(safe('name\nwith newline')).toBe('name-with newline.png');
    expect(safe('tab\there\u0000nul')).toBe('tab-here-nul.png');
    expect(safe('12:30 standup')).toBe('12-30 standup.png');
    // A right-to-left override could show "gnp.exe" as "exe.png".
    expect(safe('invoice\u202Egnp.exe')).toBe('invoicegnp.exe.png');
    expect(safe('trailing dots...')).toBe('trailing dots.png');
  });

  it('avoids reserved device names', () => {
    expect(safe('CON')).toBe('CON-file.png');
    expect(safe('nul.txt')).toBe('nul-file.png');
    expect(safe('com1')).toBe('com1-file.png');
    expect(safe('LPT9.backup')).toBe('LPT9.backup-file.png');
    expect(safe('console')).toBe('console.png');
  });

  it('refuses what leaves nothing usable', () => {
    for (const bad of ['', '   ', '.', '..', '...', '/', '.png', '\n\n', '\u202E']) {
      expect(() => sanitizeFileName(bad, 'a.png'), JSON.stringify(bad)).toThrow(/not a usable file name/);
    }
  });

  it('keeps emoji and cuts long names on a character boundary within the byte limit', () => {
    expect(safe('🌅 sunset 🏖️')).toBe('🌅 sunset 🏖️.png');
    const long = safe('a'.repeat(300));
    expect(long).toBe(`${'a'.repeat(251)}.png`);
    const emoji = safe('👩‍👩‍👧‍👦'.repeat(40));
    expect(utf8Bytes(emoji)).toBeLessThanOrEqual(255);
    expect(emoji.endsWith('👩‍👩‍👧‍👦.png')).toBe(true);
    expect(safe('é'.repeat(200), 'a.png', 64)).toBe(`${'é'.repeat(30)}.png`);
  });

  it('is idempotent', () => {
    for (const raw of ['../../etc/passwd', 'CON', 'sunset.jpg', '🌅'.repeat(90), '.hidden', 'a:b\nc']) {
      const once = safe(raw);
      expect(safe(once)).toBe(once);
    }
  });
});

describe('helpers', () => {
  it('finds the extension a file keeps', () => {
    expect(fileExtension('a.png')).toBe('.png');
    expect(fileExtension('.bashrc')).toBe('');
    expect(fileExtension('Screenshot at 09.41.12')).toBe('');
    expect(fileExtension('archive.tar.gz')).toBe('.gz');
  });

  it('adds counters within the limit', () => {
    expect(withCounter('shot.png', 2)).toBe('shot-2.png');
    expect(withCounter('README', 3)).toBe('README-3');
    expect(utf8Bytes(withCounter(`${'x'.repeat(251)}.png`, 12))).toBe(255);
    expect(truncateUtf8('ab😀', 5)).toBe('ab');
  });
});
