import crypto from 'node:crypto';

/** Short random ids with a readable prefix, e.g. `ses_3f9a1c2b7d`. */
export const newId = (prefix: string): string => `${prefix}_${crypto.randomBytes(6).toString('hex')}`;

export const sha256 = (text: string | Uint8Array): string => crypto.createHash('sha256').update(text).digest('hex');

/** The hash the seed stores as `original_prompt_hash`: the first 16 hex digits of the prompt's SHA-256. */
export const promptHash = (prompt: string): string => sha256(prompt).slice(0, 16);

/** An A/B arm's identity across team members: the hash of its trimmed prompt text (letters and ids differ per member). */
export const armHash = (prompt: string): string => promptHash(prompt.trim());
