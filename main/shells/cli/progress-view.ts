import type { EvolutionPlan, EvolutionProgress } from '../../engine';
import type { TermStream } from './output';

/** Time and a repeating timer, injectable so tests replay a run frame by frame. */
export interface ProgressClock {
  now(): number;
  every(ms: number, fn: () => void): () => void;
}

export const realClock: ProgressClock = {
  now: () => performance.now(),
  every(ms, fn) {
    const timer = setInterval(fn, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
};

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const FRAME_MS = 100;

export const clockTime = (seconds: number): string => {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
};

const roughly = (seconds: number): string => {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))}s`;
  return seconds < 5400 ? `${Math.round(seconds / 60)}m` : `${(seconds / 3600).toFixed(1)}h`;
};

const blocks = (fraction: number, width: number): string => {
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
};

const percent = (x: number | null): string => (x === null ? '—' : `${Math.round(x * 100)}%`);

/** Cut to the terminal's width (one column spare, so the cursor never wraps), ending in … when cut. */
export function fitWidth(line: string, columns: number): string {
  const chars = [...line];
  const max = Math.max(10, columns - 1);
  return chars.length <= max ? line : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * The time left, learned on this machine: the engine's own estimate once a generation has been timed (counted
 * down between events); before that, the projection rescaled by how fast the first population's calls really
 * went compared with the speed the projection assumed.
 */
export class EtaEstimator {
  private plan: EvolutionPlan | null = null;
  private initStart: { at: number; calls: number | null } | null = null;
  private estimate: { seconds: number; at: number } | null = null;

  /** The projection, as the first population starts (a new run has made no calls yet). */
  setPlan(plan: EvolutionPlan, at: number): void {
    this.plan = plan;
    this.estimate = { seconds: plan.estimatedSeconds, at };
    this.initStart = { at, calls: plan.resumeFrom === null ? 0 : null };
  }

  update(p: EvolutionProgress, at: number): void {
    if (p.phase === 'done' || p.phase === 'cancelled' || p.phase === 'failed') {
      this.estimate = null;
      return;
    }
    if (p.etaSeconds !== null) {
      this.estimate = { seconds: p.etaSeconds, at };
      return;
    }
    if (p.phase !== 'initialising' || !this.plan) return;
    if (!this.initStart) this.initStart = { at, calls: null };
    this.initStart.calls ??= p.llmCalls;
    const calls = p.llmCalls - this.initStart.calls;
    if (calls <= 0) return;
    const perCall = (at - this.initStart.at) / 1000 / calls;
    const plan = this.plan;
    const share = Math.min(1, plan.calls.maxLlmCalls / Math.max(1, plan.calls.total));
    const assumedInit = plan.calls.initial * share * plan.secondsPer.mutation;
    const factor = perCall / plan.secondsPer.mutation;
    const initLeft = Math.max(0, plan.calls.initial * share - calls) * perCall;
    this.estimate = { seconds: initLeft + Math.max(0, plan.estimatedSeconds - assumedInit) * factor, at };
  }

  /** Seconds left now, or null before anything is known. */
  secondsLeft(now: number): number | null {
    if (!this.estimate) return null;
    return Math.max(0, this.estimate.seconds - (now - this.estimate.at) / 1000);
  }
}

/**
 * Evolution progress on stderr, like ollama's: on a terminal one line redrawn in place, cut to the width, with a
 * spinner from the first moment saying what is happening, the time so far and a learned ETA; a final line ends
 * with a newline. Not on a terminal (a log, a pipe): one plain line per event, never a redraw.
 */
export class ProgressView {
  private readonly eta = new EtaEstimator();
  private readonly started: number;
  private frame = 0;
  private text = 'starting';
  private last: EvolutionProgress | null = null;
  private stopTimer: (() => void) | null = null;
  private drawn = false;
  private finished = false;

  constructor(
    private readonly stream: TermStream,
    private readonly clock: ProgressClock = realClock,
    private readonly label = '',
  ) {
    this.started = clock.now();
  }

  private get tty(): boolean {
    return Boolean(this.stream.isTTY);
  }

  /** What is happening before the engine reports (loading the model …). */
  status(text: string): void {
    this.text = text;
    this.finished = false;
    if (this.tty) this.start();
    else this.stream.write(`[${clockTime(this.elapsed())}] ${text}\n`);
  }

  setPlan(plan: EvolutionPlan): void {
    this.eta.setPlan(plan, this.clock.now());
  }

  update(p: EvolutionProgress): void {
    const now = this.clock.now();
    this.eta.update(p, now);
    this.last = p;
    if (p.message) this.text = p.message;
    else if (p.phase === 'evolving') this.text = `generation ${p.generation} done`;
    if (p.phase === 'done' || p.phase === 'cancelled' || p.phase === 'failed') {
      this.finish();
      return;
    }
    if (this.tty) this.start();
    else this.stream.write(`${this.line(false)}\n`);
  }

  /** Clears the line so other output can follow (the plan, a question); the next status or update redraws it. */
  pause(): void {
    this.stopTimer?.();
    this.stopTimer = null;
    if (this.tty && this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }

  /** The final line, with its newline (once). */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.stopTimer?.();
    this.stopTimer = null;
    if (!this.last) {
      this.pause();
      return;
    }
    const line = this.line(true);
    if (this.tty) this.stream.write(`\r\x1b[2K${fitWidth(line, this.columns())}\n`);
    else this.stream.write(`${line}\n`);
    this.drawn = false;
  }

  private start(): void {
    if (!this.stopTimer) this.stopTimer = this.clock.every(FRAME_MS, () => this.draw());
    this.draw();
  }

  private draw(): void {
    this.frame = (this.frame + 1) % SPINNER.length;
    this.stream.write(`\r${fitWidth(this.line(false), this.columns())}\x1b[K`);
    this.drawn = true;
  }

  private columns(): number {
    return this.stream.columns && this.stream.columns > 0 ? this.stream.columns : 80;
  }

  private elapsed(): number {
    return (this.clock.now() - this.started) / 1000;
  }

  private line(final: boolean): string {
    const p = this.last;
    const parts: string[] = [];
    if (final) parts.push(`${p?.phase === 'done' ? '✔ done' : `✖ ${p?.phase ?? 'stopped'}`} in ${clockTime(this.elapsed())}`);
    else {
      const head = this.tty ? SPINNER[this.frame] : `[${clockTime(this.elapsed())}]`;
      parts.push(`${head} ${this.label ? `${this.label}: ` : ''}${this.text}`);
    }
    if (p && (p.phase === 'evolving' || p.phase === 'final-evaluation' || p.phase === 'done')) {
      const fraction = p.phase === 'evolving' ? (p.generations > 0 ? p.generation / p.generations : 0) : 1;
      parts.push(`gen ${p.generation}/${p.generations} ${blocks(fraction, 10)}`);
      parts.push(`best ${percent(p.bestFitness)} mean ${percent(p.meanFitness)}`);
    }
    if (p) parts.push(`${p.llmCalls}/${p.maxLlmCalls} calls`);
    if (p?.tokensPerSecond && !final) parts.push(`${Math.round(p.tokensPerSecond)} tok/s`);
    if (this.tty && !final) parts.push(clockTime(this.elapsed()));
    const left = final ? null : this.eta.secondsLeft(this.clock.now());
    if (left !== null) parts.push(left < 1 ? 'finishing' : `ETA ~${roughly(left)}`);
    if (final && p?.message) parts.push(p.message);
    return parts.join(' · ');
  }
}
