/** The command line of `npx --yes pnpm@10 bench` (bench/src/run.ts), read once. */
import { parseNodeVersions } from './node-versions.js';

/** What `npx --yes pnpm@10 bench` was asked to do. */
export interface BenchArguments {
  /** `--quick`: one short round of each scenario, to check the harness. */
  readonly quick: boolean;
  /** `--only=server,streams`: these groups only; every group by default. */
  readonly only: readonly string[] | undefined;
  /** `--out=<file>`: where the report goes; bench/RESULTS.md (bench/.tmp/RESULTS.quick.md with `--quick`) by default. */
  readonly out: string | undefined;
  /** `--node=22,24`: the Node.js major versions to run on; 20, 22 and 24 by default. */
  readonly nodeVersions: readonly number[];
  /** Internal, `--child-json=<file>`: run the groups in this process and write what they measured there. */
  readonly childJson: string | undefined;
  /** Internal, `--no-types`: skip the type-check group (a run of several versions measures it once). */
  readonly skipTypes: boolean;
  /** The command as typed, without the internal options, for the sections' first line. */
  readonly command: string;
}

/** The groups, in the order they run. */
export const benchGroups = [
  'server',
  'client',
  'in-process',
  'memory',
  'delivery',
  'streams',
  'console',
  'types',
] as const;

function valueOf(argv: readonly string[], name: string): string | undefined {
  return argv.find((argument) => argument.startsWith(`--${name}=`))?.slice(name.length + 3);
}

/**
 * Reads the bench's arguments (`process.argv.slice(2)`).
 *
 * @throws {Error} for an unknown option or group, or a bad `--node` list.
 */
export function parseBenchArguments(argv: readonly string[]): BenchArguments {
  const known = ['--quick', '--no-types', '--only=', '--out=', '--node=', '--child-json='];
  const unknown = argv.filter(
    (argument) => !known.some((option) => argument === option || argument.startsWith(option)),
  );
  if (unknown.some((argument) => argument.startsWith('-'))) {
    throw new Error(`unknown option ${unknown.join(' ')}: the bench takes ${known.join(', ')}`);
  }
  const only = valueOf(argv, 'only')?.split(',');
  const unknownGroups = only?.filter((group) => !(benchGroups as readonly string[]).includes(group)) ?? [];
  if (unknownGroups.length > 0) {
    throw new Error(`unknown group ${unknownGroups.join(', ')}: the groups are ${benchGroups.join(', ')}`);
  }
  const typed = argv.filter((argument) => argument !== '--no-types' && !argument.startsWith('--child-json='));
  return {
    quick: argv.includes('--quick'),
    only,
    out: valueOf(argv, 'out'),
    nodeVersions: parseNodeVersions(valueOf(argv, 'node')),
    childJson: valueOf(argv, 'child-json'),
    skipTypes: argv.includes('--no-types'),
    command: ['npx --yes pnpm@10 bench', ...typed].join(' '),
  };
}
