// Resolve hooks of without-drivers.mjs.
const drivers = new Set(['better-sqlite3', 'pg', 'ioredis']);
const nowhere = 'file:///nonexistent-project/src/entry.mjs';

export function resolve(specifier, context, nextResolve) {
  if (drivers.has(specifier)) return nextResolve(specifier, { ...context, parentURL: nowhere });
  return nextResolve(specifier, context);
}
