import type { ConfigStore } from './config/config-store';
import type { SkillRegistry } from './skills/skill-registry';
import type { Database } from './store/database';
import type { Clock } from './util/clock';
import type { Rng } from './util/random';

/** What every engine service shares: one database, one configuration, the skills, the clock and a seeded generator. */
export interface EngineContext {
  readonly dataDir: string;
  readonly db: Database;
  readonly config: ConfigStore;
  readonly skills: SkillRegistry;
  readonly clock: Clock;
  readonly rng: Rng;
}

export const nowIso = (ctx: Pick<EngineContext, 'clock'>): string => ctx.clock.now().toISOString();
