import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { conformanceChecks } from './conformance-checks.js';

const doc = readFileSync(new URL('../../../docs/PROTOCOL.md', import.meta.url), 'utf8');
const ids = conformanceChecks.map((check) => check.id);

/** The check ids cited in the "conformance check" column of every rule table. */
function citedInRuleTables(text: string): string[] {
  const cited: string[] = [];
  let column: number | undefined;
  for (const line of text.split('\n')) {
    if (!line.startsWith('|')) {
      column = undefined;
      continue;
    }
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    if (column === undefined) {
      const index = cells.indexOf('conformance check');
      column = index === -1 ? -1 : index;
      continue;
    }
    if (column === -1 || /^-+$/.test(cells[0] ?? '')) continue;
    for (const match of (cells[column] ?? '').matchAll(/`([^`]+)`/g)) cited.push(match[1] as string);
  }
  return cited;
}

// Backticked names on the page that look like check ids but are something else.
const notCheckIds = new Set(['x-events-deadline-ms', 'events-conformance', 'lenient-missing-*']);

describe('docs/PROTOCOL.md and the kit', () => {
  it('cites every check of the kit in a rule table, and only checks that exist', () => {
    const cited = citedInRuleTables(doc);
    expect(cited.filter((id) => !ids.includes(id))).toEqual([]);
    expect(ids.filter((id) => !cited.includes(id))).toEqual([]);
  });

  it('names no check id anywhere on the page that the kit does not have', () => {
    const named = [...doc.matchAll(/`([a-z]+(?:-[a-zA-Z0-9*]+)+)`/g)].map((match) => match[1] as string);
    expect(named.filter((id) => !ids.includes(id) && !notCheckIds.has(id))).toEqual([]);
  });

  it('has the section each check cites for its rule', () => {
    const headings = new Set([...doc.matchAll(/^## (.+)$/gm)].map((match) => match[1]));
    for (const check of conformanceChecks) {
      const section = /\(PROTOCOL\.md, ([^)]+)\)\.$/.exec(check.rule)?.[1];
      expect([check.id, headings.has(section)]).toEqual([check.id, true]);
    }
  });
});
