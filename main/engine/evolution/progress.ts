import type { EvolutionPhase, EvolutionProgress, EvolutionSettings, RunCounters } from './types';
import { percent } from '../util/format';

const eta = (seconds: number | null): string =>
  seconds === null ? '' : seconds < 90 ? ` ETA ${Math.round(seconds)}s` : ` ETA ${Math.round(seconds / 60)}m`;

export function progressBar(fraction: number, width = 20): string {
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/** One line: "evolving gen 4/30 [###.....] best 62% mean 48% calls 812/5000 41 tok/s ETA 6m". */
export function formatProgress(p: EvolutionProgress): string {
  const fraction = p.phase === 'done' || p.phase === 'final-evaluation' ? 1 : p.generations > 0 ? p.generation / p.generations : 0;
  return (
    [
      p.phase.padEnd(16),
      `gen ${p.generation}/${p.generations}`,
      progressBar(fraction),
      `best ${percent(p.bestFitness, '—')} mean ${percent(p.meanFitness, '—')}`,
      `calls ${p.llmCalls}/${p.maxLlmCalls}`,
      p.tokensPerSecond === null ? '' : `${p.tokensPerSecond.toFixed(0)} tok/s`,
    ]
      .filter(Boolean)
      .join('  ') +
    eta(p.etaSeconds) +
    (p.message ? `  ${p.message}` : '')
  );
}

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * Progress for a terminal: on a TTY one line redrawn in place; otherwise (logs, pipes) a plain line per
 * event. Call done() before printing anything else.
 */
export function createProgressPrinter(stream: ProgressStream): { update: (p: EvolutionProgress) => void; done: () => void } {
  let drawn = false;
  return {
    update(p) {
      const line = formatProgress(p);
      if (stream.isTTY) {
        stream.write(`\r\x1b[2K${line}`);
        drawn = true;
      } else {
        stream.write(`${line}\n`);
      }
    },
    done() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}

/** Download progress: "downloading 120.4/271.0 MB [#########...........] 44%". */
export function formatDownload(downloadedBytes: number, totalBytes: number): string {
  const mb = (b: number) => (b / 1e6).toFixed(1);
  const fraction = totalBytes > 0 ? downloadedBytes / totalBytes : 0;
  const total = totalBytes > 0 ? mb(totalBytes) : '?';
  return `downloading ${mb(downloadedBytes)}/${total} MB ${progressBar(fraction)} ${Math.round(fraction * 100)}%`;
}

export interface ProgressInput {
  skill: string;
  phase: EvolutionPhase;
  generation: number;
  settings: Pick<EvolutionSettings, 'generations' | 'maxLlmCalls'>;
  best: number | null;
  average: number | null;
  counters: RunCounters;
  /** Generated tokens restored from a previous process (left out of this process's tokens/s). */
  restoredTokens: number;
  /** Budget calls used so far. */
  used: number;
  /** Mean wall time of this process's generations, or null before the first. */
  generationMs: number | null;
  /** Calls the final ranking will make (its part of the ETA). */
  finalCalls: number;
  message: string | null;
}

/** The contract's progress view of a run: fitness, calls, this process's speed and the ETA. */
export function progressView(p: ProgressInput): EvolutionProgress {
  const { counters } = p;
  const seconds = (counters.evaluationMs + counters.mutationMs) / 1000;
  const left = Math.max(0, p.settings.generations - p.generation);
  const perEvaluation = counters.evaluationCalls > 0 ? counters.evaluationMs / 1000 / counters.evaluationCalls : 0;
  const etaSeconds =
    p.phase === 'done' ? 0 : p.generationMs === null ? null : (left * p.generationMs) / 1000 + perEvaluation * p.finalCalls;
  return {
    skill: p.skill,
    phase: p.phase,
    generation: p.generation,
    generations: p.settings.generations,
    bestFitness: p.best,
    meanFitness: p.average,
    llmCalls: p.used,
    maxLlmCalls: p.settings.maxLlmCalls,
    tokensPerSecond: seconds > 0 ? (counters.generatedTokens - p.restoredTokens) / seconds : null,
    etaSeconds,
    message: p.message,
  };
}
