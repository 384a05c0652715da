import { isDeepStrictEqual } from 'node:util';
import { isCollection, isScalar, isSeq, type Document } from 'yaml';
import type { ConfigPath } from './config-issue';
import { isPlainObject, valueAt } from './schema-rules';
import { nest, spliceEdit } from './yaml-splice';
import { parseYaml } from './yaml-source';

export type YamlEdit =
  | { op: 'set'; path: ConfigPath; value: unknown }
  | { op: 'append'; path: ConfigPath; value: unknown }
  | { op: 'unset'; path: ConfigPath };

/**
 * Applies an edit to YAML text. The yaml Document API defines the result. Setting a mapping or list over an
 * existing one becomes the smallest set of key/item changes, and each change is made by splicing the
 * original text when the splice parses to exactly the Document API's data, so the rest of the file stays
 * byte-for-byte as the user wrote it. Otherwise the document is re-printed, which keeps comments and key
 * order but may re-space them.
 */
export function applyEdit(text: string, edit: YamlEdit): string {
  if (edit.op === 'set' && isObject(edit.value)) {
    const doc = validDocument(text);
    if (isCollection(doc.getIn(edit.path, true))) {
      return diffEdits(edit.path, valueAt(doc.toJS(), edit.path), edit.value).reduce(applyOne, text);
    }
  }
  return applyOne(text, edit);
}

function applyOne(text: string, edit: YamlEdit): string {
  const expected = validDocument(text);
  if (!applyToDocument(expected, edit)) return text;
  const spliced = spliceEdit(text, parseYaml(text), edit);
  if (spliced !== null && sameData(spliced, expected)) return spliced;
  return expected.toString();
}

/** The key-by-key and item-by-item edits that turn `before` into `after`. */
function diffEdits(path: ConfigPath, before: unknown, after: unknown): YamlEdit[] {
  if (isDeepStrictEqual(before, after)) return [];
  if (isPlainObject(before) && isPlainObject(after)) {
    const changed = Object.keys(after).flatMap((key) =>
      after[key] === undefined ? [] : diffEdits([...path, key], before[key], after[key]),
    );
    const removed = Object.keys(before).filter((key) => after[key] === undefined);
    return [...changed, ...removed.map((key): YamlEdit => ({ op: 'unset', path: [...path, key] }))];
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length > 0) {
    const edits: YamlEdit[] = [];
    after.forEach((item, i) => {
      if (i < before.length) edits.push(...diffEdits([...path, i], before[i], item));
      else edits.push({ op: 'append', path, value: item });
    });
    for (let i = before.length - 1; i >= after.length; i--) edits.push({ op: 'unset', path: [...path, i] });
    return edits;
  }
  return before === undefined && after === undefined ? [] : [{ op: 'set', path, value: after }];
}

function applyToDocument(doc: Document, edit: YamlEdit): boolean {
  if (edit.op === 'unset') {
    if (!doc.hasIn(edit.path)) return false;
    doc.deleteIn(edit.path);
    return true;
  }
  const target = doc.getIn(edit.path, true);
  if (edit.op === 'append' && isSeq(target)) target.add(doc.createNode(edit.value));
  else setInDocument(doc, edit.path, edit.op === 'append' ? [edit.value] : edit.value);
  return true;
}

function setInDocument(doc: Document, path: ConfigPath, value: unknown): void {
  // `key:` with nothing after it is null, not a mapping: replace it rather than descend into it.
  for (let i = 1; i < path.length; i++) {
    if (!isCollection(doc.getIn(path.slice(0, i), true))) {
      doc.setIn(path.slice(0, i), doc.createNode(nest(path.slice(i), value)));
      return;
    }
  }
  const existing = doc.getIn(path, true);
  // Assigning a plain value to an existing scalar keeps that node, and with it the comment on its line.
  doc.setIn(path, isScalar(existing) && !isObject(value) ? value : doc.createNode(value));
}

function validDocument(text: string): Document {
  const doc = parseYaml(text);
  if (doc.errors.length > 0) throw new Error(`cannot edit YAML with errors: ${doc.errors[0].message}`);
  return doc;
}

function sameData(text: string, expected: Document): boolean {
  const doc = parseYaml(text);
  return doc.errors.length === 0 && isDeepStrictEqual(doc.toJS(), expected.toJS());
}

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null;
