/** Baseline: Hono on @hono/node-server, the body validated by @hono/zod-validator. */
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { honoApp } from './hono-app.js';
import { serve } from './serve.js';

// Without options, @hono/node-server builds a node:http server (not HTTP/2).
serve(createAdaptorServer({ fetch: honoApp.fetch }) as Server);
