import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface AppPaths {
  /** The folder holding out/, skills/, models/, main/config/ and renderer/dist (inside app.asar when packaged). */
  root: string;
  rendererDir: string;
  preload: string;
  assets: string;
  skills: string;
  defaultsFile: string;
  catalogFile: string;
}

/**
 * The app's files, from the root. Bundling moves every module into out/main/index.js, so import.meta.url no
 * longer points where main/config and main/skills expect; the entry passes these paths to the engine instead.
 */
export function appPaths(root: string): AppPaths {
  return {
    root,
    rendererDir: path.join(root, 'renderer', 'dist'),
    preload: path.join(root, 'out', 'preload', 'index.cjs'),
    assets: path.join(root, 'assets'),
    skills: path.join(root, 'skills'),
    defaultsFile: path.join(root, 'main', 'config', 'defaults.yaml'),
    catalogFile: path.join(root, 'models', 'catalog.json'),
  };
}

/** The root seen from an entry two folders down: out/main/index.js when built, main/electron/main.ts in source. */
export const rootFromEntry = (entryUrl: string): string => path.resolve(path.dirname(fileURLToPath(entryUrl)), '..', '..');
