/**
 * Run by Bun and Deno (read-json-runtimes.test.ts): reads each JSON text of the file named by the
 * first argument with readJson and with its source-text path, and prints the outcomes as JSON.
 */
import { readFileSync } from 'node:fs';
import { readJson } from '@events-protocol/core';
import { jsonParseHasSourceText, parseJsonWithSourceText } from '../../packages/core/src/source-text-json-parser.js';
import { outcome } from './json-outcome.js';

const texts = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as string[];
process.stdout.write(
  `${JSON.stringify({
    hasSourceText: jsonParseHasSourceText,
    readJson: texts.map((text) => outcome(readJson, text)),
    sourceText: texts.map((text) => outcome(parseJsonWithSourceText, text)),
  })}\n`,
);
