import { writeTransaction, type Database } from '../store/database';

export interface CachedScore {
  promptHash: string;
  exampleId: string;
  score: number;
  output: string;
}

export interface NewScore extends CachedScore {
  promptTokens: number;
  generatedTokens: number;
}

export const pairKey = (promptHash: string, exampleId: string): string => `${promptHash}|${exampleId}`;

/**
 * Scores by (prompt hash, example id, model file hash), shared by every run: a prompt's estimate sharpens
 * as it meets new examples, and no (prompt, example) pair is ever run twice on the same model.
 */
export class FitnessCache {
  constructor(private readonly db: Database) {}

  /** Cached scores for the pairs that have one, keyed by pairKey. */
  lookup(modelId: string, pairs: readonly { promptHash: string; exampleId: string }[]): Map<string, CachedScore> {
    const found = new Map<string, CachedScore>();
    const select = this.db.prepare(
      `SELECT prompt_hash AS promptHash, example_id AS exampleId, score, output FROM fitness_cache
       WHERE model_id = ? AND prompt_hash = ? AND example_id = ?`,
    );
    for (const pair of pairs) {
      const key = pairKey(pair.promptHash, pair.exampleId);
      if (found.has(key)) continue;
      const row = select.get(modelId, pair.promptHash, pair.exampleId) as CachedScore | undefined;
      if (row) found.set(key, row);
    }
    return found;
  }

  /** Every cached score of one prompt, optionally only on the given examples. */
  scoresOf(modelId: string, promptHash: string, exampleIds?: ReadonlySet<string>): CachedScore[] {
    const rows = this.db
      .prepare(
        `SELECT prompt_hash AS promptHash, example_id AS exampleId, score, output FROM fitness_cache WHERE model_id = ? AND prompt_hash = ?`,
      )
      .all(modelId, promptHash) as CachedScore[];
    return exampleIds ? rows.filter((row) => exampleIds.has(row.exampleId)) : rows;
  }

  /** Stores new scores in one transaction; a pair already present is kept as it was. */
  put(modelId: string, runId: string | null, scores: readonly NewScore[], at: string): void {
    const insert = this.db.prepare(
      `INSERT OR IGNORE INTO fitness_cache (prompt_hash, example_id, model_id, score, output, prompt_tokens, generated_tokens, run_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    writeTransaction(this.db, () => {
      for (const s of scores)
        insert.run(s.promptHash, s.exampleId, modelId, s.score, s.output, s.promptTokens, s.generatedTokens, runId, at);
    });
  }

  /** Evaluations a run paid for (uncached calls), with their tokens. */
  totalsForRun(runId: string): { calls: number; promptTokens: number; generatedTokens: number } {
    return this.db
      .prepare(
        `SELECT COUNT(*) AS calls, COALESCE(SUM(prompt_tokens), 0) AS promptTokens, COALESCE(SUM(generated_tokens), 0) AS generatedTokens FROM fitness_cache WHERE run_id = ?`,
      )
      .get(runId) as { calls: number; promptTokens: number; generatedTokens: number };
  }
}
