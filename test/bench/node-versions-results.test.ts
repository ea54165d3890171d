import { describe, expect, it } from 'vitest';
import { parseBenchArguments } from '../../bench/src/bench-arguments.js';
import { mergeSections, readSections } from '../../bench/src/node-versions-results.js';

const singleVersionReport = [
  '# Benchmark results',
  '',
  'Node v20.20.2, 2 × AMD EPYC; load generator pinned to CPU 0.',
  '',
  '## Servers (POST /events)',
  '',
  '| scenario | req/s |',
  '| raw node:http | 15,998 |',
  '',
].join('\n');

describe('RESULTS.md sections per Node.js version', () => {
  it('replaces the sections of the versions run and keeps the others, in version order', () => {
    const first = mergeSections(undefined, new Map([[24, '## Node v24.22.3\n\ntwenty-four, first run']]));
    const second = mergeSections(first, new Map([[22, '## Node v22.23.5\n\ntwenty-two']]));
    const third = mergeSections(second, new Map([[24, '## Node v24.22.3\n\ntwenty-four, again']]));
    const sections = readSections(third);
    expect([...sections.keys()]).toEqual([22, 24]);
    expect(sections.get(22)).toBe('## Node v22.23.5\n\ntwenty-two');
    expect(sections.get(24)).toBe('## Node v24.22.3\n\ntwenty-four, again');
    expect(third.indexOf('twenty-two')).toBeLessThan(third.indexOf('twenty-four'));
    expect(third).toContain('- [Node v22.23.5](#node-v22235)');
  });

  it('keeps a report written before there were sections as the section of the version it names', () => {
    const merged = mergeSections(singleVersionReport, new Map([[22, '## Node v22.23.5\n\ntwenty-two']]));
    const sections = readSections(merged);
    expect([...sections.keys()]).toEqual([20, 22]);
    expect(sections.get(20)).toContain('## Node v20.20.2');
    expect(sections.get(20)).toContain('### Servers (POST /events)');
    expect(sections.get(20)).toContain('| raw node:http | 15,998 |');
  });
});

describe('the bench command line', () => {
  it('runs on Node 20, 22 and 24 by default, and on the versions --node names', () => {
    expect(parseBenchArguments([]).nodeVersions).toEqual([20, 22, 24]);
    expect(parseBenchArguments(['--node=24,22', '--quick']).nodeVersions).toEqual([22, 24]);
    expect(parseBenchArguments(['--quick', '--out=/tmp/x.md']).command).toBe(
      'npx --yes pnpm@10 bench --quick --out=/tmp/x.md',
    );
  });

  it('refuses an unknown option, group or version', () => {
    expect(() => parseBenchArguments(['--fast'])).toThrow(/unknown option --fast/);
    expect(() => parseBenchArguments(['--only=servers'])).toThrow(/unknown group servers/);
    expect(() => parseBenchArguments(['--node=twenty'])).toThrow(/--node takes major versions/);
  });
});
