import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { ConfigIssue, ConfigPath } from './config-issue';
import type { Locate } from './schema-rules';

export interface ParsedYaml {
  doc: Document;
  /** The plain data (undefined when the text has syntax errors). */
  value: unknown;
  issues: ConfigIssue[];
  locate: Locate;
}

const OPTIONS = { prettyErrors: true, uniqueKeys: true } as const;

export const parseYaml = (text: string): Document => parseDocument(text, OPTIONS);

/** Parses YAML text, turning syntax errors into issues with a line and a one-line message. */
export function readYaml(text: string, file: string): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { ...OPTIONS, lineCounter: lines });
  const lineOf = (offset: number) => lines.linePos(offset).line;
  const locate: Locate = (path, at) => {
    const found = nodeAt(doc, path);
    if (!found.complete) return null;
    const node = at === 'key' ? (found.key ?? found.node) : (found.node ?? found.key);
    return node?.range ? lineOf(node.range[0]) : null;
  };
  const issues: ConfigIssue[] = doc.errors.map((error) => ({
    file,
    line: error.linePos?.[0].line ?? null,
    path: '',
    message: `YAML syntax error: ${error.message.split(/ at line \d+|\n/)[0]}`,
  }));
  let value: unknown;
  if (issues.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: 100 }) ?? {};
    } catch (error) {
      issues.push({ file, line: null, path: '', message: `YAML error: ${(error as Error).message}` });
    }
  }
  return { doc, value, issues, locate };
}

export interface FoundNode {
  /** The deepest node reached along the path (the node itself when `complete`). */
  node: Node | null;
  /** Key node of the last mapping step taken, if any. */
  key: Node | null;
  /** How many path parts were resolved. */
  depth: number;
  complete: boolean;
}

/** Walks a parsed document along a key path as far as it exists. */
export function nodeAt(doc: Document, path: ConfigPath): FoundNode {
  let node = (doc.contents as Node | null) ?? null;
  let key: Node | null = null;
  let depth = 0;
  for (const part of path) {
    if (isAlias(node)) node = (node.resolve(doc) as Node | undefined) ?? null;
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(part));
      if (!pair) break;
      key = pair.key as Node;
      node = (pair.value as Node | null) ?? null;
    } else if (isSeq(node) && typeof part === 'number' && part < node.items.length) {
      node = node.items[part] as Node;
      key = null;
    } else break;
    depth++;
  }
  return { node, key, depth, complete: depth === path.length };
}
