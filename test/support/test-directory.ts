import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';

/**
 * A fresh directory under the system's temporary directory, named `<prefix>-XXXXXX`, removed with
 * everything in it when the test that asked for it ends, passed or failed.
 */
export async function testDirectory(prefix: string): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), `${prefix}-`));
  onTestFinished(() => rm(directory, { recursive: true, force: true }));
  return directory;
}
