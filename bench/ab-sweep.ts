// `node bin/run-ts.mjs bench/ab-sweep.ts [--sessions 1000] [--seed tinyarms] [--workers 2] [--only REGEX]
//   --set 'key=v1,v2;model.key=…'`
// The joint rule's settings side by side on the scenarios that bound them (the targets of issue 14).
import { defaultAbSettings, type AbSettings } from '../main/engine/ab/joint-rule';
import { allScenarios } from './ab-scenarios';
import { flag } from './args';
import { runJobs } from './ab-pool';

const sessions = Number(flag('sessions') ?? 1000);
const seed = flag('seed') ?? 'tinyarms';
const workers = Number(flag('workers') ?? 2);
const DEFAULT_ONLY =
  '^(0\\.67.*(served flat, prior flat|agree, prior right)$|A/A.*(flat|wrong)$|0\\.40.*served flat, prior (flat|wrong)$|' +
  '0\\.50.*served (flat|disagree), prior (flat|wrong)$)';
const only = new RegExp(flag('only') ?? DEFAULT_ONLY);
const pct = (x: number | null): string => (x === null ? '—' : (100 * x).toFixed(1));

/** 'decisionConfidence=0.98,0.985;dropBelow=0.05' → every combination, on top of the defaults. */
function variants(spec: string): AbSettings[] {
  let out: AbSettings[] = [defaultAbSettings];
  for (const part of spec.split(';').filter(Boolean)) {
    const [key, values] = part.split('=');
    out = out.flatMap((s) =>
      values.split(',').map((v) => {
        const n = Number(v);
        if (key.startsWith('model.')) return { ...s, model: { ...s.model, [key.slice(6)]: n } };
        return { ...s, [key]: n };
      }),
    );
  }
  return out;
}

const settingsList = variants(flag('set') ?? '');
const scenarios = allScenarios();
const picked = scenarios.map((s, i) => ({ s, i })).filter(({ s }) => only.test(s.name));
const jobs = settingsList.flatMap((settings) => picked.map(({ i }) => ({ scenario: i, rule: 'new' as const, sessions, seed, settings })));
const results = await runJobs(jobs, workers);
const flat = (s: AbSettings): [string, unknown][] =>
  Object.entries(s)
    .filter(([k]) => k !== 'model')
    .concat(Object.entries(s.model).map(([k, v]) => [`model.${k}`, v]));
const changed = (s: AbSettings): string => {
  const before = new Map(flat(defaultAbSettings));
  return (
    flat(s)
      .filter(([k, v]) => before.get(k) !== v)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ') || 'defaults'
  );
};
console.log(`${sessions} sessions per cell; correct% / wrong winners% / median votes; A/A: false winners% / promoted%`);
settingsList.forEach((s, g) => {
  console.log(`\n${changed(s)}`);
  picked.forEach(({ s: sc }, p) => {
    const r = results[g * picked.length + p];
    const cell =
      r.correct === null
        ? `false ${pct(r.wrongDecided)}  promoted ${pct(r.promotedNotBetter[1])}  p50 ${r.votes[0]}`
        : `ok ${pct(r.correct)}  wrong ${pct(r.wrongDecided)}+${pct(r.wrongProbable)}  p50 ${r.votes[0]} p90 ${r.votes[1].toFixed(0)}`;
    console.log(`  ${sc.name.padEnd(62)} ${cell}`);
  });
});
