import type { TypeCheckCost } from './type-check-cost.js';

/** The type-check targets: a registry of 3,000 contracts within 2 s and 500 MB (oRPC's figures). */
export const typeCheckTargets = { contracts: 3000, totalSeconds: 2, memoryMb: 500 } as const;

/** The RESULTS.md section of what type-checking the generated registry cost. */
export function typeCheckMarkdown(cost: TypeCheckCost | undefined): string[] {
  if (cost === undefined) return [];
  return [
    `## Type-check cost (a generated registry of ${cost.contracts.toLocaleString('en-US')} contracts, handlers and typed calls)`,
    '',
    '| tsc total | check | memory | types | instantiations |',
    '| ---: | ---: | ---: | ---: | ---: |',
    `| ${cost.totalSeconds.toFixed(2)} s | ${cost.checkSeconds.toFixed(2)} s | ${cost.memoryMb} MB | ${cost.types.toLocaleString('en-US')} | ${cost.instantiations?.toLocaleString('en-US') ?? '–'} |`,
    '',
    'From `tsc --noEmit --extendedDiagnostics` on the project `bench/src/type-check-cost.ts` writes, against the built packages. Times move with the machine’s load; types, instantiations and memory do not. zod’s own types are a floor: the same schemas with their input and output types read once each (`--fixture=zod-only`) cost about four fifths of these counts.',
    '',
  ];
}

/** The targets table's rows for the type-check cost, and whether one was missed. */
export function typeCheckTargetRows(cost: TypeCheckCost | undefined): { rows: string[]; missed: boolean } {
  if (cost === undefined) return { rows: [], missed: false };
  const fast = cost.totalSeconds <= typeCheckTargets.totalSeconds;
  const small = cost.memoryMb <= typeCheckTargets.memoryMb;
  return {
    rows: [
      `| ${cost.contracts.toLocaleString('en-US')} contracts type-check in ≤ ${typeCheckTargets.totalSeconds} s | ${cost.totalSeconds.toFixed(2)} s | ${fast ? 'yes' : '**no**'} |`,
      `| ${cost.contracts.toLocaleString('en-US')} contracts type-check in ≤ ${typeCheckTargets.memoryMb} MB | ${cost.memoryMb} MB | ${small ? 'yes' : '**no**'} |`,
    ],
    missed: !fast || !small,
  };
}
