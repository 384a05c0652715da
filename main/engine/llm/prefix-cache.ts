import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChatHistoryItem, ChatWrapper, LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';
import { processAlive } from '../util/fs';

/** The start of a request's prompt that recurs (a skill template up to its {{input}} slot, a mutation template's fixed part). */
export interface PromptPrefix {
  system?: string;
  prompt: string;
}

/** How a request's prefix was served: already on the sequence, restored from a snapshot, or computed (and snapshotted). */
export type PrefixOutcome = 'resident' | 'restored' | 'computed' | 'none';

interface Entry {
  key: string;
  tokens: Token[];
  /** One snapshot per context shape (sequences in the context): llama.cpp loads a state only into the same shape. */
  files: Map<number, string>;
  /** Snapshots being written, per shape: a request for the same prefix waits and restores instead of computing it too. */
  pending: Map<number, Promise<void>>;
  /** Restores in flight. */
  restoring: number;
  bytes: number;
  lastUsed: number;
}

export interface PrefixCacheStats {
  entries: number;
  pinned: number;
  bytes: number;
  resident: number;
  restored: number;
  computed: number;
  evicted: number;
}

const DIR_PREFIX = 'tinyarms-kv-';
/** Shorter prefixes are not worth a file: 16 tokens cost SmolLM2-360M ~0.1 s on one CPU core. */
const MIN_TOKENS = 16;
/** Endings that cannot merge with the same token of the prefix (byte-level BPE merges across a space or newline). */
const PROBES = ['a', '\n', '0', '{'];

export const prefixKey = (prefix: PromptPrefix): string => `${prefix.system ?? ''}\u0000${prefix.prompt}`;

/**
 * Prompt prefixes as KV-cache snapshots (llama.cpp's per-sequence state files, ~41 KB per token for SmolLM2-360M
 * in f16). A request whose prompt starts with a known prefix gets it restored into its sequence (a few ms instead
 * of evaluating every prefix token again) and evaluates only its own tail; a prefix met for the first time is
 * computed on the request's own sequence and snapshotted on the way, so caching costs no extra evaluation.
 *
 * Pinned prefixes (the active prompt of each skill, each A/B arm, the GA's templates) are never evicted while the
 * model is loaded; the others are dropped least recently used beyond `maxBytes`. Files live in a temp folder of
 * this process, removed with the model (a crashed process's folder is removed by the next load).
 */
export class PrefixCache {
  private readonly entries = new Map<string, Entry>();
  private readonly pins = new Map<string, Map<string, PromptPrefix>>();
  private readonly counts = { resident: 0, restored: 0, computed: 0, evicted: 0 };
  private dir: string | null = null;
  private clock = 0;

  constructor(
    private readonly model: LlamaModel,
    private readonly chatWrapper: ChatWrapper,
    private readonly maxBytes: number,
  ) {}

  /** The prefix of `prompt` this cache would serve: the longest pinned one, else the request's own hint. */
  match(system: string | undefined, prompt: string, hint: string | undefined): PromptPrefix | null {
    let best: PromptPrefix | null = hint && prompt.startsWith(hint) ? { system, prompt: hint } : null;
    for (const owned of this.pins.values()) {
      for (const pinned of owned.values()) {
        if ((pinned.system ?? '') !== (system ?? '') || !prompt.startsWith(pinned.prompt)) continue;
        if (!best || pinned.prompt.length > best.prompt.length) best = pinned;
      }
    }
    return best;
  }

  /** Replaces one owner's pinned prefixes (an owner's old pins become ordinary entries, evictable). */
  pin(owner: string, prefixes: readonly PromptPrefix[]): void {
    const next = new Map(prefixes.map((p) => [prefixKey(p), p]));
    if (next.size === 0) this.pins.delete(owner);
    else this.pins.set(owner, next);
    this.evict();
  }

  /** Pinned prefixes with no snapshot yet for a context shape in use (what the runtime warms), with that shape. */
  cold(shapes: readonly number[]): { prefix: PromptPrefix; shape: number }[] {
    return this.pinned().flatMap((prefix) => {
      const files = this.entries.get(prefixKey(prefix))?.files;
      return shapes.filter((shape) => !files?.has(shape)).map((shape) => ({ prefix, shape }));
    });
  }

  pinned(): PromptPrefix[] {
    return [...new Map([...this.pins.values()].flatMap((owned) => [...owned.entries()])).values()];
  }

  /** Tokens of the prefix that every prompt starting with it shares (what its snapshot holds). */
  tokensOf(prefix: PromptPrefix): Token[] {
    const cached = this.entries.get(prefixKey(prefix));
    if (cached) return cached.tokens;
    const runs = PROBES.map((end) => this.tokenize(prefix.system, prefix.prompt + end));
    let n = 0;
    while (runs.every((tokens) => n < tokens.length && tokens[n] === runs[0][n])) n++;
    return runs[0].slice(0, n);
  }

  /**
   * Leaves `sequence` holding the prefix's tokens (and maybe more of the same prompt): untouched when it already
   * does, else restored from a snapshot of this context shape, else evaluated here and snapshotted.
   */
  async prepare(sequence: LlamaContextSequence, shape: number, prefix: PromptPrefix): Promise<PrefixOutcome> {
    const key = prefixKey(prefix);
    const tokens = this.tokensOf(prefix);
    if (tokens.length < MIN_TOKENS) return 'none';
    if (sequence.compareContextTokens(tokens).firstDifferentIndex >= tokens.length) {
      this.touch(key, tokens);
      this.counts.resident++;
      return 'resident';
    }
    const entry = this.touch(key, tokens);
    for (let pending = entry.pending.get(shape); pending; pending = entry.pending.get(shape)) await pending;
    const file = entry.files.get(shape);
    if (file && fs.existsSync(file)) {
      entry.restoring++; // not evicted while its file is being read
      try {
        await sequence.clearHistory();
        await sequence.loadStateFromFile(file, { acceptRisk: true });
      } finally {
        entry.restoring--;
      }
      this.counts.restored++;
      return 'restored';
    }
    const written = this.compute(entry, sequence, shape);
    entry.pending.set(
      shape,
      written.then(
        () => undefined,
        () => undefined,
      ),
    );
    try {
      await written;
    } finally {
      entry.pending.delete(shape);
    }
    this.counts.computed++;
    this.evict();
    return 'computed';
  }

  private async compute(entry: Entry, sequence: LlamaContextSequence, shape: number): Promise<void> {
    const { tokens } = entry;
    await sequence.adaptStateToTokens(tokens, false);
    await sequence.evaluateWithoutGeneratingNewTokens(tokens.slice(sequence.nextTokenIndex));
    const target = path.join(this.folder(), `p${++this.clock}-s${shape}.kv`);
    const { fileSize } = await sequence.saveStateToFile(target);
    if (this.entries.get(entry.key) !== entry) {
      fs.rmSync(target, { force: true }); // evicted or cleared meanwhile
      return;
    }
    entry.files.set(shape, target);
    entry.bytes += fileSize;
  }

  stats(): PrefixCacheStats {
    const bytes = [...this.entries.values()].reduce((sum, e) => sum + e.bytes, 0);
    return { entries: this.entries.size, pinned: this.pinned().length, bytes, ...this.counts };
  }

  /** Drops every snapshot (the model is going away); pins stay, to be warmed on the next load. */
  clear(): void {
    this.entries.clear();
    if (this.dir) {
      fs.rmSync(this.dir, { recursive: true, force: true });
      liveFolders.delete(this.dir);
    }
    this.dir = null;
  }

  private touch(key: string, tokens: Token[]): Entry {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { key, tokens, files: new Map(), pending: new Map(), restoring: 0, bytes: 0, lastUsed: 0 };
      this.entries.set(key, entry);
    }
    entry.lastUsed = ++this.clock;
    return entry;
  }

  private evict(): void {
    const pinned = new Set(this.pinned().map(prefixKey));
    let bytes = [...this.entries.values()].reduce((sum, e) => sum + e.bytes, 0);
    const candidates = [...this.entries.values()]
      .filter((e) => !pinned.has(e.key) && e.bytes > 0 && e.pending.size === 0 && e.restoring === 0)
      .sort((a, b) => a.lastUsed - b.lastUsed);
    for (const entry of candidates) {
      if (bytes <= this.maxBytes) break;
      for (const file of entry.files.values()) fs.rmSync(file, { force: true });
      this.entries.delete(entry.key);
      bytes -= entry.bytes;
      this.counts.evicted++;
    }
  }

  private folder(): string {
    if (!this.dir) {
      removeStaleFolders();
      this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `${DIR_PREFIX}${process.pid}-`));
      liveFolders.add(this.dir);
      if (!exitHooked) process.once('exit', removeLiveFolders);
      exitHooked = true;
    }
    return this.dir;
  }

  private tokenize(system: string | undefined, prompt: string): Token[] {
    const history: ChatHistoryItem[] = [
      ...(system ? [{ type: 'system' as const, text: system }] : []),
      { type: 'user', text: prompt },
      { type: 'model', response: [] },
    ];
    return this.chatWrapper.generateContextState({ chatHistory: history }).contextText.tokenize(this.model.tokenizer);
  }
}

/** This process's snapshot folders, removed when it exits normally (a killed one's go at the next load anywhere). */
const liveFolders = new Set<string>();
let exitHooked = false;

function removeLiveFolders(): void {
  for (const dir of liveFolders) fs.rmSync(dir, { recursive: true, force: true });
  liveFolders.clear();
}

/** Snapshot folders of processes that died without removing them. */
function removeStaleFolders(): void {
  let names: string[];
  try {
    names = fs.readdirSync(os.tmpdir());
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^tinyarms-kv-(\d+)-/.exec(name)?.[1]);
    if (pid > 0 && pid !== process.pid && !processAlive(pid)) fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
  }
}
