import type { VoteRound } from '../ab/session-types';
import type { Feedback, TaskRow } from '../feedback/task-log';
import type { OutputKind } from '../skills/skill-file';

export interface SkillRunOptions {
  signal?: AbortSignal;
  /** The A/B arm whose prompt this is ('B'), or null for the skill's active prompt. */
  variant?: string | null;
  /** The skill's output kind: 'filename' (one line), 'list', 'text', 'lint'; lets the runner pick a stop rule. */
  output?: OutputKind;
}

/**
 * Runs one skill prompt on one input and returns the model's raw answer. `prompt` is the template containing
 * {{input}}; the runner renders it. The model service provides the real one; tests and the demo pass stand-ins.
 */
export interface SkillRunner {
  run(skill: string, prompt: string, input: string, options?: SkillRunOptions): Promise<string>;
}

export interface ServeRequest {
  skill: string;
  input: string;
  /** Who asked: 'cli', 'api', 'watch', 'app' (default 'api'). */
  source?: string;
  /** false: never answer with a vote round, always one output (scripts that need a single answer). */
  allowVote?: boolean;
  taskId?: string;
  signal?: AbortSignal;
  /**
   * What an arm's parsed output becomes before it is shown and recorded (file-naming: a safe file name). With
   * it, an empty answer is kept as present() makes it; without it, an empty single answer is refused.
   */
  present?: (output: string) => string;
}

export type Served =
  /** One output, recorded as a task awaiting feedback. */
  | { kind: 'task'; taskId: string; skill: string; output: string; variant: string | null; promptVersion: number | null; task: TaskRow }
  /** A/B vote round: every arm's output behind blind labels. */
  | { kind: 'vote'; taskId: string; skill: string; round: VoteRound };

/** The person's answer to a served task: a vote (a round's label, 'none' or 'skip') and/or a verdict. */
export interface Answer {
  vote?: string;
  feedback?: Feedback;
}
