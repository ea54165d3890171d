/** The memory bench's raw node:http baseline: raw-node's work, each request held until released. */
import { createServer } from 'node:http';
import { ParkGate } from './park-gate.js';
import { rawNodeHandler } from './raw-node-handler.js';
import { serve } from './serve.js';

serve(createServer(rawNodeHandler(new ParkGate())));
