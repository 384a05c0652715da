/**
 * Lint findings as the code-linting-fast skill writes them, one per line: `12: no-hardcoded-colors - why`.
 * Parsing is tolerant ("Line 12 — no-hardcoded-colors", "L12 no-console-log", "no-hardcoded-secrets (line 4)")
 * because both the model and the user write these by hand.
 */
export interface LintFinding {
  rule: string;
  line: number | null;
}

// Rule ids are kebab-case with at least one hyphen (no-hardcoded-colors); "line-12" is a location, not a rule.
// Prose can hold kebab words too ("hard-coded"), so a rule-like prefix wins over the first match.
const RULE = /(?<![\w-])(?!line-)[a-z][a-z0-9]*(?:-[a-z0-9]+)+(?![\w-])/g;
const RULE_PREFIX = /^(?:no|prefer|require|max|min|use|avoid|enforce)-/;
const LINE_LABEL = /\b(?:line|ln|l)\s*[:#]?\s*(\d+)\b/i;
const LEADING_NUMBER = /^\W*(\d+)\b/;
const NONE = /^(?:ok|none|n\/a|no (?:issues|findings|problems|violations)(?: found)?)\.?$/i;

export function parseLintFindings(text: string): LintFinding[] {
  const findings: LintFinding[] = [];
  const seen = new Set<string>();
  for (const rawLine of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = rawLine.trim();
    if (line === '' || NONE.test(line)) continue;
    const candidates = line.toLowerCase().match(RULE) ?? [];
    const rule = candidates.find((candidate) => RULE_PREFIX.test(candidate)) ?? candidates[0];
    if (!rule) continue;
    const number = LINE_LABEL.exec(line)?.[1] ?? LEADING_NUMBER.exec(line)?.[1];
    const finding = { rule, line: number === undefined ? null : Number(number) };
    const key = formatLintFinding(finding);
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push(finding);
  }
  return findings;
}

export const formatLintFinding = (finding: LintFinding): string =>
  finding.line === null ? finding.rule : `${finding.line}: ${finding.rule}`;
