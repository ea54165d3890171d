#!/usr/bin/env node
import { runEventsCli } from './run-events-cli.js';

process.exitCode = await runEventsCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
