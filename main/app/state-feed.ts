import fs from 'node:fs';
import type { Engine } from '../engine';
import type { AppStateView } from '../../contract/api';
import { oneLine } from './errors';

/**
 * The app's state as a feed: built on demand, pushed to listeners only when it changed (with a revision that
 * only grows), and rebuilt when another process commits to the database (SQLite's data_version moves only for
 * other connections' commits) or config.yaml is edited by hand.
 */
export class StateFeed {
  private readonly listeners = new Set<(state: AppStateView) => void>();
  private current: AppStateView | null = null;
  private currentKey = '';
  private revision = 0;
  private queued = false;
  private timer: NodeJS.Timeout | null = null;
  private dataVersion: number | null = null;
  private configSignature: string | null = null;
  private outsideSignature: string | null = null;

  constructor(
    private readonly engine: Engine,
    private readonly build: () => Omit<AppStateView, 'revision'>,
    private readonly log: (line: string) => void,
    /** A signature of other files the state reads (teammates' files); a change rebuilds the state. */
    private readonly outside: () => string = () => '',
  ) {}

  /** The latest state without touching the database (null before the first read). */
  peek(): AppStateView | null {
    return this.current;
  }

  onState(listener: (state: AppStateView) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Rebuilds the state; when it differs from the last one, bumps the revision and pushes it. */
  refresh(): AppStateView {
    const state = this.build();
    const key = JSON.stringify(state);
    if (this.current && key === this.currentKey) return this.current;
    this.revision += 1;
    this.currentKey = key;
    this.current = { ...state, revision: this.revision };
    for (const listener of [...this.listeners]) {
      try {
        listener(this.current);
      } catch (error) {
        this.log(`tinyArms: a state listener failed: ${oneLine(error)}`);
      }
    }
    return this.current;
  }

  /** One refresh after the current task: many changes in a row push once. */
  queue(): void {
    if (this.queued) return;
    this.queued = true;
    queueMicrotask(() => {
      this.queued = false;
      this.safeRefresh();
    });
  }

  /** Refreshes, logging (not throwing) a failure: for pushes after actions that already succeeded. */
  safeRefresh(): void {
    try {
      this.refresh();
    } catch (error) {
      this.log(`tinyArms: could not read the state: ${oneLine(error)}`);
    }
  }

  /** Starts looking for outside changes every `everyMs` (0: never). */
  watch(everyMs: number): void {
    if (everyMs <= 0 || this.timer) return;
    this.poll();
    this.timer = setInterval(() => this.poll(), everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.listeners.clear();
  }

  /** Looks for changes made elsewhere; pushes the state when anything moved. */
  poll(): void {
    let moved = false;
    try {
      const version = this.engine.ctx.db.pragma('data_version', { simple: true }) as number;
      if (this.dataVersion !== null && version !== this.dataVersion) moved = true;
      this.dataVersion = version;
      const signature = fileSignature(this.engine.ctx.config.file);
      if (this.configSignature !== null && signature !== this.configSignature) {
        this.engine.ctx.config.load();
        moved = true;
      }
      this.configSignature = signature;
      const outside = this.outside();
      if (this.outsideSignature !== null && outside !== this.outsideSignature) moved = true;
      this.outsideSignature = outside;
    } catch (error) {
      this.log(`tinyArms: could not check for outside changes: ${oneLine(error)}`);
      return;
    }
    if (moved) this.safeRefresh();
  }
}

function fileSignature(file: string): string {
  try {
    const stat = fs.statSync(file);
    return `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
  } catch {
    return 'missing';
  }
}
