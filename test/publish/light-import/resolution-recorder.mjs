// A module resolve hook (node:module `register`): appends every specifier it resolves, and the URL
// it resolved to, to the file named in `initialize`'s data. It writes synchronously before
// answering, so the log is complete the moment an import settles.
import { appendFileSync } from 'node:fs';

let log = '';

export function initialize(data) {
  log = data.log;
}

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  appendFileSync(log, `${specifier}\t${resolved.url}\n`);
  return resolved;
}
