/** Baseline on Bun (run by the bun binary): the same Hono app and zod validator under `Bun.serve`. */
import { serveWithBun } from './bun-serve.js';
import { honoApp } from './hono-app.js';

serveWithBun(honoApp.fetch);
