#!/usr/bin/env node
// Fixes one line of node-llama-cpp 3.21.1 after install (npm runs it as postinstall; it is idempotent).
//
// LlamaContextSequence._speculativeEvaluate checks each predicted token against the token the model sampled at the
// position before it, read from a `validatedTokens` list that nothing ever fills: so within one decode only the first
// prediction can be confirmed and every later one is refuted and erased (still in upstream main, June 2026). The fix
// records each confirmed prediction with its sampled follower, which is what the check reads. Without it the runtime
// turns request drafts off (see llm/draft-predictor.ts), so an unpatched install is slower, never wrong.
// Usage: node scripts/patch-node-llama-cpp.mjs [file]   (default: the installed LlamaContext.js; always exits 0 and
// says on stdout what it did)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FILE = process.argv[2] ?? path.join(ROOT, 'node_modules', 'node-llama-cpp', 'dist', 'evaluator', 'LlamaContext', 'LlamaContext.js');
const ANCHOR = 'this._loadedTokenPredictions.push([evalTokens[i], [resultToken, probabilities, confidence]]);';
const FIX = 'validatedTokens.push([evalTokens[i], resultToken]); // tinyArms: scripts/patch-node-llama-cpp.mjs';

function main() {
  let source;
  try {
    source = fs.readFileSync(FILE, 'utf8');
  } catch {
    console.log(`patch-node-llama-cpp: ${path.relative(ROOT, FILE)} not found (node-llama-cpp not installed?); nothing to patch`);
    return;
  }
  if (source.includes(FIX)) {
    console.log('patch-node-llama-cpp: already fixed');
    return;
  }
  const at = source.indexOf(ANCHOR);
  if (at < 0 || source.indexOf(ANCHOR, at + 1) >= 0 || source.includes('validatedTokens.push')) {
    console.log('patch-node-llama-cpp: this node-llama-cpp differs from 3.21.1 here; left as it is (drafts stay off unless it is fixed)');
    return;
  }
  const lineStart = source.lastIndexOf('\n', at) + 1;
  const indent = source.slice(lineStart, at);
  const end = at + ANCHOR.length;
  const patched = `${source.slice(0, end)}\n${indent}${FIX}${source.slice(end)}`;
  const temp = `${FILE}.${process.pid}.tmp`;
  fs.writeFileSync(temp, patched);
  fs.renameSync(temp, FILE);
  console.log('patch-node-llama-cpp: fixed the speculative check of predicted tokens (drafts on)');
}

main();
