import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright';

// axe-core in the page under test (@axe-core/playwright needs Node 22): its source is evaluated in the page
// through the DevTools protocol, which the page's Content-Security-Policy does not govern.

const require = createRequire(import.meta.url);
let source: string | null = null;
const axeSource = (): string => (source ??= fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: string[]; failureSummary?: string }[] }[];
}

/** The page's serious and critical accessibility violations, one line each ("color-contrast: … at .skill__detail"). */
export async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource());
  const result = (await page.evaluate(() =>
    (window as unknown as { axe: { run(context: Document, options: object): Promise<unknown> } }).axe.run(document, {
      resultTypes: ['violations'],
    }),
  )) as AxeResult;
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) =>
      v.nodes.map(
        (n) =>
          `${v.id} (${v.impact}): ${v.help} at ${n.target.join(' ')}${n.failureSummary ? ` — ${n.failureSummary.replace(/\s+/g, ' ')}` : ''}`,
      ),
    );
}
