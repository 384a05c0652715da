import { Document, isCollection, isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import type { ConfigPath } from './config-issue';
import { nodeAt, type FoundNode } from './yaml-source';

type Edit = { op: 'set' | 'append'; path: ConfigPath; value: unknown } | { op: 'unset'; path: ConfigPath };

/**
 * Makes one edit by changing only the affected lines of `text`: replace a value, add a key, add a list
 * item, remove a key or item. Returns null when the layout is unusual (flow collections, several keys on
 * one line); the caller then re-prints the document. The caller also checks that the result parses to
 * the intended data, so a splice here only has to be right for the common block layout.
 */
export function spliceEdit(text: string, doc: Document, edit: Edit): string | null {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const found = nodeAt(doc, edit.path);
  if (edit.op === 'unset') return found.complete ? removeEntry(text, doc, edit.path) : null;
  if (edit.op === 'append' && found.complete && isSeq(found.node) && !found.node.flow && found.node.items.length > 0) {
    return appendItem(text, found.node.items as Node[], edit.value, eol);
  }
  const value = edit.op === 'append' ? [edit.value] : edit.value;
  if (found.complete) return replaceValue(text, found, value, eol);
  const rest = edit.path.slice(found.depth);
  if (typeof rest[0] !== 'string') return null;
  const container = found.depth === 0 ? (doc.contents as Node | null) : found.node;
  const pair = { [rest[0]]: nest(rest.slice(1), value) };
  if (isMap(container) && !container.flow && container.items.length > 0) {
    const first = container.items[0].key as Node;
    const last = container.items[container.items.length - 1];
    const end = ((last.value as Node | null)?.range ?? (last.key as Node).range)![1];
    return insertLines(text, end, render(pair, columnOf(text, first.range![0]), eol), eol);
  }
  if (found.depth === 0 && container === null) {
    const separator = text === '' || text.endsWith('\n') ? '' : eol;
    return text + separator + render(pair, 0, eol);
  }
  const empty = (isScalar(container) && container.value === null) || (isMap(container) && container.flow && container.items.length === 0);
  return empty ? replaceValue(text, found, pair, eol) : null;
}

/** Replaces the scalar or flow value of a `key: value` pair with the rendering of `value`. */
function replaceValue(text: string, found: FoundNode, value: unknown, eol: string): string | null {
  const { node, key } = found;
  if (!node?.range || !key?.range || !(isScalar(node) || (isCollection(node) && node.flow))) return null;
  let start = node.range[0];
  while (start > 0 && text[start - 1] === ' ') start--;
  const quote = isScalar(node) && typeof node.value === 'string' ? (node as Scalar).type : undefined;
  const stringType = quote === 'QUOTE_DOUBLE' || quote === 'QUOTE_SINGLE' ? quote : 'PLAIN';
  const printed = new Document({ k: value }).toString({ lineWidth: 0, defaultStringType: stringType, defaultKeyType: 'PLAIN' });
  const [first, ...more] = printed.slice('k:'.length).replace(/\n$/, '').split('\n');
  const end = node.range[1];
  if (more.length === 0) return text.slice(0, start) + first + text.slice(end);
  // A block value continues on the next lines, so whatever followed the old value (a comment) stays on this line.
  let lineEnd = text.indexOf('\n', end);
  if (lineEnd === -1) lineEnd = text.length;
  if (text[lineEnd - 1] === '\r') lineEnd--;
  const indent = ' '.repeat(columnOf(text, key.range[0]));
  const block = more.map((line) => eol + (line ? indent + line : '')).join('');
  return text.slice(0, start) + first + text.slice(end, lineEnd) + block + text.slice(lineEnd);
}

function appendItem(text: string, items: Node[], value: unknown, eol: string): string | null {
  const first = items[0].range;
  const last = items[items.length - 1].range;
  if (!first || !last) return null;
  const prefix = /^( *)- +$/.exec(text.slice(lineStart(text, first[0]), first[0]));
  if (!prefix) return null;
  return insertLines(text, last[1], render([value], prefix[1].length, eol), eol);
}

/** Deletes the lines of a mapping key or list item that starts its own line. */
function removeEntry(text: string, doc: Document, path: ConfigPath): string | null {
  const parent = path.length === 1 ? (doc.contents as Node | null) : nodeAt(doc, path.slice(0, -1)).node;
  const last = path[path.length - 1];
  let start: number | undefined;
  let end: number | undefined;
  if (isMap(parent) && !parent.flow) {
    const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === String(last));
    start = (pair?.key as Node | undefined)?.range?.[0];
    end = ((pair?.value as Node | null)?.range ?? (pair?.key as Node | undefined)?.range)?.[1];
    if (start === undefined || text.slice(lineStart(text, start), start).trim() !== '') return null;
  } else if (isSeq(parent) && !parent.flow && typeof last === 'number') {
    const range = (parent.items[last] as Node | undefined)?.range;
    if (!range || !/^ *- +$/.test(text.slice(lineStart(text, range[0]), range[0]))) return null;
    [start, end] = range;
  }
  if (start === undefined || end === undefined) return null;
  return text.slice(0, lineStart(text, start)) + text.slice(nextLineStart(text, end));
}

/** Inserts whole lines at the start of the line after `offset` (offset = end of the previous content). */
function insertLines(text: string, offset: number, lines: string, eol: string): string {
  const at = nextLineStart(text, offset);
  return at === text.length && !text.endsWith('\n') ? text + eol + lines : text.slice(0, at) + lines + text.slice(at);
}

function render(value: unknown, indent: number, eol: string): string {
  const printed = new Document(value).toString({ lineWidth: 0 });
  const pad = ' '.repeat(indent);
  return printed
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => (line ? pad + line : line) + eol)
    .join('');
}

export const nest = (path: ConfigPath, value: unknown): unknown => path.reduceRight<unknown>((inner, part) => ({ [part]: inner }), value);

const lineStart = (text: string, offset: number): number => text.lastIndexOf('\n', offset - 1) + 1;

const columnOf = (text: string, offset: number): number => offset - lineStart(text, offset);

/** Start of the line after the content ending at `offset` (content ranges may already include the newline). */
function nextLineStart(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === '\n') return offset;
  const newline = text.indexOf('\n', offset);
  return newline === -1 ? text.length : newline + 1;
}
