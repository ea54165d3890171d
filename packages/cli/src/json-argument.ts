import { readFileSync } from 'node:fs';
import { readJson, type JsonObject } from '@events-protocol/core';
import { UsageError } from './cli-io.js';

/** Reads a flag's JSON: inline text, or `@path` to read a file. 64-bit integers stay exact. */
export function readJsonArgument(flag: string, value: string): unknown {
  let text = value;
  if (value.startsWith('@')) {
    try {
      text = readFileSync(value.slice(1), 'utf8');
    } catch (error) {
      throw new UsageError(`--${flag}: cannot read ${value.slice(1)}: ${(error as Error).message}`);
    }
  }
  try {
    return readJson(text);
  } catch (error) {
    throw new UsageError(`--${flag} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Like {@link readJsonArgument}, for flags that must hold a JSON object (`identity`, `auth`, `metadata`). */
export function readJsonObjectArgument(flag: string, value: string | undefined): JsonObject | undefined {
  if (value === undefined) return undefined;
  const parsed = readJsonArgument(flag, value);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`--${flag} must be a JSON object, e.g. '{"userId":"42"}'`);
  }
  return parsed as JsonObject;
}

/** Reads a flag that must be a positive integer. */
export function readPositiveInteger(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 1)
    throw new UsageError(`--${flag} must be a positive integer, got '${value}'`);
  return number;
}
