export { runEventsCli, eventsUsage } from './run-events-cli.js';
export { serveCommand } from './commands/serve-command.js';
export type { CliIo } from './cli-io.js';
