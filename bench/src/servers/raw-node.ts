/** Baseline: raw node:http that parses the event and writes the response event by hand. */
import { createServer } from 'node:http';
import { rawNodeHandler } from './raw-node-handler.js';
import { serve } from './serve.js';

serve(createServer(rawNodeHandler()));
