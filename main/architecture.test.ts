import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ROOT } from './engine/data-paths';

// The layering ARCHITECTURE.md draws, checked on the import graph: shells reach the engine only through its surface
// (main/engine/index.ts), no engine service imports the Engine facade, and the engine's folders import each other
// in one direction only (no cycles).

const MAIN = path.join(APP_ROOT, 'main');
const ENGINE = path.join(MAIN, 'engine');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** Relative imports of a file, static and dynamic, resolved to paths without extension. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)].map((m) => path.resolve(path.dirname(file), m[1]));
}

const isTestSupport = (file: string): boolean => /test-support|fake-|fixture|bundle-smoke/.test(file);

describe('the architecture', () => {
  it('shells, the app layer and the demo use the engine through its surface only', () => {
    const outside = ['shells', 'app', 'demo'].flatMap((dir) => sources(path.join(MAIN, dir))).filter((f) => !isTestSupport(f));
    const past = outside.flatMap((file) =>
      importsOf(file)
        .filter((target) => target.startsWith(ENGINE + path.sep) && path.relative(ENGINE, target) !== 'index')
        .map((target) => `${path.relative(APP_ROOT, file)} → ${path.relative(APP_ROOT, target)}`),
    );
    expect(past).toEqual([]);
  });

  it('no engine service imports the Engine facade', () => {
    const services = sources(ENGINE).filter((f) => path.dirname(f) !== ENGINE && !isTestSupport(f));
    const facade = path.join(ENGINE, 'engine');
    expect(services.filter((file) => importsOf(file).includes(facade)).map((f) => path.relative(APP_ROOT, f))).toEqual([]);
  });

  it("the engine's folders (and its shared root modules, e.g. ports.ts) import each other in one direction only", () => {
    const folderOf = (file: string) => path.relative(ENGINE, file).split(path.sep)[0].replace(/\.ts$/, '');
    // The facade (engine.ts, index.ts) imports everything by design; every other root module is a node like a folder.
    const facade = (file: string) => path.dirname(file) === ENGINE && ['engine', 'index'].includes(path.basename(file, '.ts'));
    const edges = new Map<string, Set<string>>();
    for (const file of sources(ENGINE).filter((f) => !facade(f) && !isTestSupport(f))) {
      for (const target of importsOf(file)) {
        if (!target.startsWith(ENGINE + path.sep) || facade(`${target}.ts`)) continue;
        const [from, to] = [folderOf(file), folderOf(target)];
        if (from !== to) edges.set(from, (edges.get(from) ?? new Set()).add(to));
      }
    }
    const cycles: string[] = [];
    const reaches = (from: string, to: string, seen = new Set<string>()): boolean =>
      [...(edges.get(from) ?? [])].some((next) => next === to || (!seen.has(next) && (seen.add(next), reaches(next, to, seen))));
    for (const [from, tos] of edges) for (const to of tos) if (reaches(to, from)) cycles.push(`${from} → ${to} → … → ${from}`);
    expect(cycles).toEqual([]);
  });

  it('every write transaction starts as a write (writeTransaction), so busy_timeout applies across processes', () => {
    const database = path.join(ENGINE, 'store', 'database.ts');
    const raw = sources(ENGINE)
      .filter((file) => file !== database && /\.transaction\(/.test(fs.readFileSync(file, 'utf8')))
      .map((f) => path.relative(APP_ROOT, f));
    expect(raw).toEqual([]);
  });
});
