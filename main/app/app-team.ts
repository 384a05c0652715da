import { UserError, type Engine } from '../engine';

// The Team pane's and the popover's test actions over the engine (the CLI's `team adopt` and `team test`).

/** Refuses to start a test while an evolution of the skill runs (its own test would collide with this one at its end). */
function checkIdle(skill: string, evolving: (skill: string) => boolean): void {
  if (evolving(skill)) {
    throw new UserError(`${skill} is evolving: start a team test when it has finished`, { code: 'evolution_running' });
  }
}

/** Shares this member's file now, so the teammate sees the new test at once (not only after the next vote). */
function share(engine: Engine): void {
  if (!engine.ctx.db.readonly) engine.team.publish();
}

export function testTeammateVersion(engine: Engine, member: string, skill: string, evolving: (skill: string) => boolean): void {
  checkIdle(skill, evolving);
  engine.adoptFromTeammate(member, skill);
  share(engine);
}

export function joinTeammateTest(engine: Engine, member: string, skill: string, evolving: (skill: string) => boolean): void {
  checkIdle(skill, evolving);
  engine.joinTeammateTest(member, skill);
  share(engine);
}
