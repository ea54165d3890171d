import { parseArgs } from 'node:util';
import { applyTopicsConfig, isTopicsError, loadTopicsConfig } from '@events-protocol/topics';
import { paint, UsageError, wantsColor, type CliIo } from '../cli-io.js';

export const topicsUsage = `Usage: events topics apply <config.json|config.yaml> [options]

Validates a topics configuration and creates what its targets need, when missing: Redis streams
and consumer groups, the outbox table. Safe to run on every deploy: prints what it created, and
nothing the second time.

Options:
  --check       validate the configuration only; create nothing
  --no-color    plain output
  -h, --help    this help
`;

/** `events topics`: resolves to the exit code. */
export async function topicsCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      check: { type: 'boolean', default: false },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout.write(topicsUsage);
    return 0;
  }
  const [action, file, ...extra] = positionals;
  if (action !== 'apply')
    throw new UsageError(action === undefined ? 'topics needs a command: apply' : `unknown topics command '${action}'`);
  if (file === undefined) throw new UsageError('apply needs the configuration file');
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra.join(' ')}'`);
  const color = wantsColor(io, values['no-color'] === true ? false : values.color);
  try {
    const config = await loadTopicsConfig(file);
    if (values.check) {
      io.stdout.write(`${file}: ${config.topics.length} topic${config.topics.length === 1 ? '' : 's'}, valid\n`);
      return 0;
    }
    const created = await applyTopicsConfig(config);
    for (const { topic, resource } of created) {
      io.stdout.write(
        `${paint(color, 'green', 'created')}  ${resource}${topic === undefined ? '' : `  (topic ${topic})`}\n`,
      );
    }
    io.stdout.write(
      created.length === 0
        ? 'everything existed already\n'
        : `${created.length} created for ${config.topics.length} topics\n`,
    );
    return 0;
  } catch (error) {
    if (isTopicsError(error)) {
      io.stderr.write(
        `events topics: ${error.issues.length > 0 ? `${file}: invalid topics configuration\n${error.issues.map((issue) => `  ${issue.path}: ${issue.message}`).join('\n')}` : error.message}\n`,
      );
      return 1;
    }
    io.stderr.write(`events topics apply: ${(error as Error).message}\n`);
    return 1;
  }
}
