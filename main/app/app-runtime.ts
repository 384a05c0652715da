import { Engine, createEvolutionHost, type EngineOptions } from '../engine';
import { AppService, type AppServiceOptions } from './app-service';
import type { EvolutionHost } from './evolution-host';

export interface AppRuntimeOptions extends Omit<AppServiceOptions, 'engine' | 'evolution'> {
  /** How to open the engine: data folder, shipped files, model overrides, a stand-in skill runner. */
  engine?: EngineOptions;
  /** An evolution host to use instead of running evolutions in this process (tests, a utility process). */
  evolution?: EvolutionHost;
}

export interface AppRuntime {
  engine: Engine;
  service: AppService;
  /** Stops the service, then closes the engine and frees the model. */
  stop(): Promise<void>;
}

/**
 * The engine, its one model and the evolution host, composed once for the menu-bar app and `tinyarms serve`:
 * evolutions run in this process on the engine's shared model, which loads only when something needs it.
 */
export function createAppRuntime(options: AppRuntimeOptions = {}): AppRuntime {
  const engine = Engine.open(options.engine);
  let evolution = options.evolution;
  if (!evolution && !options.engine?.variantGenerator) {
    const host = createEvolutionHost(engine);
    engine.setVariantGenerator(host.generate);
    evolution = host;
  }
  const service = new AppService({ ...options, engine, evolution });
  // A promotion, a rollback or a test starting or ending (here or in another process) changes the state: the served
  // prompts' prefixes are pinned again while the model is loaded, so the next task finds them warm.
  engine.taskPrefixes.enable();
  const unwatch = service.onState(() => void engine.taskPrefixes.refresh().catch(() => undefined));
  let stopped = false;
  return {
    engine,
    service,
    async stop() {
      if (stopped) return;
      stopped = true;
      unwatch();
      await service.stop();
      await engine.dispose();
    },
  };
}
