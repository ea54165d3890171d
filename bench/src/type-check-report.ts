import type { TypeCheckCompiler, TypeCheckCost, TypeCheckFixture } from './type-check-cost.js';

/**
 * The type-check targets: a registry of 3,000 contracts within 2 s and 500 MB, oRPC's published
 * figures for its 3,000 procedures (TypeScript 7, Standard Schema types), and no slower and no
 * larger than oRPC's same-size project checked by the same compiler on the same machine.
 */
export const typeCheckTargets = { contracts: 3000, totalSeconds: 2, memoryMb: 500, ratioToOrpc: 1 } as const;

const projectNames: Record<TypeCheckFixture, string> = {
  'standard-schema': 'ours, Standard Schema types',
  orpc: 'oRPC 1.16, the same types (baseline)',
  registry: 'ours, zod schemas',
  'zod-only': 'zod schemas alone',
};

function costOf(
  costs: readonly TypeCheckCost[],
  fixture: TypeCheckFixture,
  compiler: TypeCheckCompiler,
): TypeCheckCost | undefined {
  return costs.find((cost) => cost.fixture === fixture && cost.compiler === compiler);
}

/** Each round's total time, where there were rounds. */
function roundsCell(cost: TypeCheckCost): string {
  return cost.roundTotalSeconds?.map((seconds) => seconds.toFixed(2)).join(', ') ?? '–';
}

/** The RESULTS.md section of what type-checking the generated projects cost. */
export function typeCheckMarkdown(costs: readonly TypeCheckCost[] | undefined): string[] {
  const first = costs?.[0];
  if (costs === undefined || first === undefined) return [];
  return [
    `## Type-check cost (${first.contracts.toLocaleString('en-US')} contracts with their handlers and typed calls)`,
    '',
    '| compiler | project | tsc total | rounds | check | memory | types | instantiations |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...costs.map(
      (cost) =>
        `| tsc ${cost.compilerVersion} | ${projectNames[cost.fixture]} | ${cost.totalSeconds.toFixed(2)} s | ${roundsCell(cost)} | ${cost.checkSeconds.toFixed(2)} s | ${cost.memoryMb} MB | ${cost.types.toLocaleString('en-US')} | ${cost.instantiations.toLocaleString('en-US')} |`,
    ),
    '',
    'From `tsc --noEmit --extendedDiagnostics` on the projects `bench/src/type-check-fixtures.ts` writes (modules of 100 contracts, each with its handlers and calls), against the built packages. oRPC’s project declares the same payloads and responses with its `Schema` type, a handler per procedure and a call through `RouterClient`; oRPC publishes its own figures the same way, with Standard Schema types so that no validator’s types are counted. Each project is checked once per round, the rounds interleaved, and the times and memory are the medians of the rounds. tsc 7 checks files on several threads, on every core of the machine, so its times depend on the cores; types and memory do not depend on the machine.',
    '',
  ];
}

function ratioRow(label: string, ours: number, orpc: number): { row: string; met: boolean } {
  const ratio = ours / orpc;
  const met = ratio <= typeCheckTargets.ratioToOrpc;
  return { row: `| ${label} | ${ratio.toFixed(2)}× | ${met ? 'yes' : '**no**'} |`, met };
}

/** The targets table's rows for the type-check cost, and whether one was missed. */
export function typeCheckTargetRows(costs: readonly TypeCheckCost[] | undefined): { rows: string[]; missed: boolean } {
  const ours = costs && costOf(costs, 'standard-schema', 'typescript-native');
  if (costs === undefined || ours === undefined) return { rows: [], missed: false };
  const contracts = ours.contracts.toLocaleString('en-US');
  const on = `tsc ${ours.compilerVersion}`;
  const fast = ours.totalSeconds <= typeCheckTargets.totalSeconds;
  const small = ours.memoryMb <= typeCheckTargets.memoryMb;
  const rows = [
    `| ${contracts} contracts type-check in ≤ ${typeCheckTargets.totalSeconds} s (${on}) | ${ours.totalSeconds.toFixed(2)} s | ${fast ? 'yes' : '**no**'} |`,
    `| ${contracts} contracts type-check in ≤ ${typeCheckTargets.memoryMb} MB (${on}) | ${ours.memoryMb} MB | ${small ? 'yes' : '**no**'} |`,
  ];
  let missed = !fast || !small;
  for (const compiler of ['typescript-native', 'typescript'] as const) {
    const mine = costOf(costs, 'standard-schema', compiler);
    const orpc = costOf(costs, 'orpc', compiler);
    if (mine === undefined || orpc === undefined) continue;
    const time = ratioRow(
      `type-check time ≤ 1.0× oRPC's same-size project (tsc ${mine.compilerVersion})`,
      mine.totalSeconds,
      orpc.totalSeconds,
    );
    const memory = ratioRow(
      `type-check memory ≤ 1.0× oRPC's same-size project (tsc ${mine.compilerVersion})`,
      mine.memoryMb,
      orpc.memoryMb,
    );
    rows.push(time.row, memory.row);
    missed ||= !time.met || !memory.met;
  }
  return { rows, missed };
}
