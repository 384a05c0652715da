import path from 'node:path';
import { findAppRoot } from '../../engine';

export interface AppPaths {
  /** The folder holding out/, skills/, models/, main/engine/config/ and renderer/dist (inside app.asar when packaged). */
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
 * longer points where main/engine/config and skills/ are expected; the entry passes these paths to the engine instead.
 */
export function appPaths(root: string): AppPaths {
  return {
    root,
    rendererDir: path.join(root, 'renderer', 'dist'),
    preload: path.join(root, 'out', 'preload', 'index.cjs'),
    assets: path.join(root, 'assets'),
    skills: path.join(root, 'skills'),
    defaultsFile: path.join(root, 'main', 'engine', 'config', 'defaults.yaml'),
    catalogFile: path.join(root, 'models', 'catalog.json'),
  };
}

/** The root seen from the entry: out/main/index.js when built, main/shells/electron/main.ts in source. */
export const rootFromEntry = (entryUrl: string): string => findAppRoot(entryUrl);
