/** Parses a model's or a user's list ("- a\n- b", "1. a", "[ ] a") into plain items. */

const BULLET = /^(?:[-*•·+–—]|\d{1,3}[.)]|\(\d{1,3}\)|\[[ xX]?\])\s+/;
const CHECKBOX = /^\[[ xX]?\]\s+/;
const FENCE = /^```/;
// "None", "No action items.", "N/A": the list is empty, not a list of one item called "None".
const NONE = /^(?:none|n\/a|nothing|no (?:action )?items?(?: found)?|there are no action items)\.?$/i;

export function listItems(text: string): string[] {
  const items: string[] = [];
  for (const rawLine of text.replace(/\r\n?/g, '\n').split('\n')) {
    let line = rawLine.trim();
    if (line === '' || FENCE.test(line)) continue;
    line = line.replace(BULLET, '').replace(CHECKBOX, '').replace(/\*\*/g, '').trim();
    // Lead-ins such as "Action items:" introduce the list; they are not part of it.
    if (line === '' || line.endsWith(':')) continue;
    items.push(line);
  }
  return items.every((item) => NONE.test(item)) ? [] : items;
}
