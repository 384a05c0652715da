import { UserError, isRunningPhase, type Engine } from '../engine';
import { clearProgress, storedProgress } from './app-state';
import { oneLine } from './errors';
import type { EvolutionHost } from './evolution-host';
import type { PauseSwitch } from './pause-switch';

export interface AppEvolutionsDeps {
  engine: Engine;
  host: EvolutionHost;
  pause: PauseSwitch;
  /** After a run ends (the state changed). */
  onEnded(): void;
  log(line: string): void;
}

/**
 * The app's evolutions: Evolve Now, resume after a pause, cancel and dismiss, over the evolution host (this
 * process's runs) and the stored progress (another process's, or a run this app stopped before it last quit).
 */
export class AppEvolutions {
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: AppEvolutionsDeps) {}

  /** An evolution of the skill runs here or in another process (the command line). */
  isEvolving(skill: string): boolean {
    const own = this.deps.host.progress(skill);
    const stored = storedProgress(this.deps.engine, skill);
    return (
      this.running.has(skill) || (own !== null && isRunningPhase(own.phase)) || (stored !== null && isRunningPhase(stored.progress.phase))
    );
  }

  /** Starts (or resumes) the skill's evolution in the background once the checks that cost nothing pass. */
  start(skill: string): void {
    const { engine, host, pause } = this.deps;
    if (pause.paused) throw new UserError('evolution is paused: resume it first', { code: 'paused' });
    const progress = host.progress(skill);
    if (this.running.has(skill) || (progress && isRunningPhase(progress.phase))) {
      throw new UserError(`${skill} is already evolving`, { code: 'evolution_running' });
    }
    engine.checkEvolvable(skill);
    if (!engine.models.available()) throw engine.models.missingError();
    this.launch(skill);
  }

  /** The pause switch; on resume, what the pause stopped goes on where it stopped. */
  setPaused(paused: boolean): void {
    const { engine, host, pause } = this.deps;
    pause.set(paused);
    host.setPaused(paused);
    if (paused) return;
    for (const skill of engine.ctx.skills.list().map((s) => s.name)) {
      const stopped = host.progress(skill) ?? storedProgress(engine, skill)?.progress;
      if (stopped?.stop === 'paused' && !engine.sessions.active(skill)) this.launch(skill);
    }
  }

  /** Stops the skill's running evolution (resumable); when none runs, cancels its active A/B session. */
  cancel(skill: string): void {
    const { engine, host } = this.deps;
    engine.ctx.skills.get(skill);
    if (host.cancel(skill)) return;
    const session = engine.sessions.active(skill);
    if (!session) throw new UserError(`${skill} has no evolution or A/B test running here`, { exitCode: 2, code: 'nothing_running' });
    engine.sessions.cancel(session.id);
  }

  /** Forgets a stopped or failed evolution. */
  dismiss(skill: string): void {
    const { engine, host } = this.deps;
    engine.ctx.skills.get(skill);
    const stored = storedProgress(engine, skill);
    const own = host.progress(skill);
    if ((own && isRunningPhase(own.phase)) || (stored && isRunningPhase(stored.progress.phase))) {
      throw new UserError(`${skill} is still evolving: cancel it first`, { code: 'evolution_running' });
    }
    if (!host.dismiss(skill)) clearProgress(engine, skill);
  }

  /** Resolves when the evolutions started here have ended. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }

  private launch(skill: string): void {
    if (this.running.has(skill)) return;
    const run = this.deps.engine
      .evolve(skill, { reason: 'manual' })
      .catch((error) => this.deps.log(`tinyArms: the evolution of ${skill} stopped: ${oneLine(error)}`))
      .finally(() => {
        this.running.delete(skill);
        this.deps.onEnded();
      });
    this.running.set(skill, run);
  }
}
