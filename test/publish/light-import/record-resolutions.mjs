// Loaded with `--import`: registers resolution-recorder.mjs, logging to $RESOLUTION_LOG.
import { register } from 'node:module';

register('./resolution-recorder.mjs', import.meta.url, { data: { log: process.env.RESOLUTION_LOG } });
