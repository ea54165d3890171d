import type { ContractEvent } from './contract-events.js';
import { schemaChanges, type ContractChange } from './schema-changes.js';

/**
 * The changes from one service's events to another's: removed events or versions and removed
 * declared errors break callers; added ones do not; payloads are compared as inputs and
 * responses and error parameters as outputs ({@link schemaChanges} says what that compares).
 */
export function contractDiff(
  before: ReadonlyMap<string, ContractEvent>,
  after: ReadonlyMap<string, ContractEvent>,
): ContractChange[] {
  const changes: ContractChange[] = [];
  const names = new Set([...after.values()].map((event) => event.name));
  for (const [key, old] of before) {
    const next = after.get(key);
    if (next === undefined) {
      const message = names.has(old.name) ? `version ${old.version} removed` : 'event removed';
      changes.push({ severity: 'breaking', event: key, at: '', message });
      continue;
    }
    const scoped = (list: Omit<ContractChange, 'event'>[]): ContractChange[] =>
      list.map((change) => ({ ...change, event: key }));
    changes.push(...scoped(schemaChanges(old.payload, next.payload, 'input', 'payload')));
    changes.push(...scoped(schemaChanges(old.response, next.response, 'output', 'response')));
    for (const [errorType, parameters] of Object.entries(old.errors)) {
      if (!(errorType in next.errors)) {
        changes.push({
          severity: 'breaking',
          event: key,
          at: `errors.${errorType}`,
          message: 'declared error removed',
        });
      } else {
        const at = `errors.${errorType}.parameters`;
        changes.push(...scoped(schemaChanges(parameters, next.errors[errorType], 'output', at)));
      }
    }
    for (const errorType of Object.keys(next.errors)) {
      if (!(errorType in old.errors))
        changes.push({
          severity: 'compatible',
          event: key,
          at: `errors.${errorType}`,
          message: 'declared error added',
        });
    }
    if (old.deprecated === undefined && next.deprecated !== undefined) {
      const sunset = next.deprecated.sunset === undefined ? '' : `, sunset ${next.deprecated.sunset}`;
      changes.push({ severity: 'compatible', event: key, at: '', message: `deprecated${sunset}` });
    }
  }
  for (const key of after.keys()) {
    if (!before.has(key)) changes.push({ severity: 'compatible', event: key, at: '', message: 'added' });
  }
  return changes;
}
