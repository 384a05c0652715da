export {
  INPUT_PLACEHOLDER,
  isValidSkillName,
  outputKinds,
  parseSkillFile,
  renderPrompt,
  serializeSkillFile,
  type OutputKind,
  type SkillDefinition,
} from './skill-file';
export { BUNDLED_SKILLS_DIR, SkillRegistry, type VersionMeta } from './skill-registry';
export {
  getScorer,
  scoreFilename,
  scoreLint,
  scoreList,
  scoreText,
  scorerNames,
  type ScoreResult,
  type Scorer,
} from './scorers';
export { MAX_FILENAME_LENGTH, parseOutput } from './output-parsers';
export { filenameWords, splitExtension } from './filename-words';
export { formatLintFinding, parseLintFindings, type LintFinding } from './lint-findings';
export { listItems } from './list-items';
