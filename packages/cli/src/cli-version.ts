import { readFileSync } from 'node:fs';

/**
 * The version of this package, read from its `package.json` when asked (the file sits one level
 * above both `src/` and `dist/`), so it is always the version installed.
 */
export function cliVersion(): string {
  const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
  const { version } = JSON.parse(text) as { version?: unknown };
  if (typeof version !== 'string') throw new Error('the package.json of @events-protocol/cli has no version');
  return version;
}
