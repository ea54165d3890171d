import { expect } from 'vitest';

/** One sample line of the text format. */
export interface ExpositionSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** One metric family: its HELP, TYPE and samples. */
export interface ExpositionFamily {
  readonly name: string;
  readonly type: string;
  readonly help: string;
  readonly samples: ExpositionSample[];
}

const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const labelPair = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/;

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest !== '') {
    const match = labelPair.exec(rest);
    if (match === null) throw new Error(`bad labels in line: ${line}`);
    const [whole, name, value] = match as unknown as [string, string, string];
    if (name in labels) throw new Error(`label ${name} twice in line: ${line}`);
    labels[name] = value.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    rest = rest.slice(whole.length);
  }
  return labels;
}

/** The family a sample belongs to: `x_bucket`, `x_sum`, `x_count` belong to histogram `x`. */
function familyOf(name: string, families: Map<string, ExpositionFamily>): ExpositionFamily | undefined {
  const exact = families.get(name);
  if (exact !== undefined) return exact;
  const base = name.replace(/_(bucket|sum|count)$/, '');
  const histogram = families.get(base);
  return histogram?.type === 'histogram' ? histogram : undefined;
}

/**
 * Parses Prometheus text (exposition format 0.0.4), enforcing its rules: every line empty, a
 * comment or one sample with one value; HELP and TYPE once per family, before its samples; no sample outside
 * a declared family; one value per name and label set; a histogram's buckets cumulative, ending
 * with `+Inf` equal to `_count`, with `_sum` and `_count` per series. Throws on the first breach.
 */
export function parseExposition(text: string): Map<string, ExpositionFamily> {
  expect(text.endsWith('\n')).toBe(true);
  const families = new Map<string, ExpositionFamily>();
  const seen = new Set<string>();
  let help: { name: string; text: string } | undefined;
  for (const line of text.slice(0, -1).split('\n')) {
    if (line.startsWith('# HELP ')) {
      const [, name = '', ...words] = line.slice(2).split(' ');
      help = { name, text: words.join(' ') };
      continue;
    }
    if (line.startsWith('# TYPE ')) {
      const [, name = '', type = ''] = line.slice(2).split(' ');
      if (families.has(name)) throw new Error(`TYPE of ${name} twice`);
      if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(type)) throw new Error(`bad type ${type}`);
      if (help?.name !== name) throw new Error(`no HELP right before the TYPE of ${name}`);
      families.set(name, { name, type, help: help.text, samples: [] });
      continue;
    }
    // The format ignores empty lines and other comments.
    if (line.startsWith('#') || line.trim() === '') continue;
    const match = sampleLine.exec(line);
    if (match === null) throw new Error(`not one sample with one value: ${line}`);
    const [, name = '', labelText = '', valueText = ''] = match;
    // Values are Go floats: NaN and ±Inf in any letter case.
    const special = new Map([
      ['nan', Number.NaN],
      ['+inf', Infinity],
      ['inf', Infinity],
      ['-inf', -Infinity],
    ]).get(valueText.toLowerCase());
    const value = special ?? Number(valueText);
    if (Number.isNaN(value) && special === undefined) throw new Error(`bad value in line: ${line}`);
    const family = familyOf(name, families);
    if (family === undefined) throw new Error(`sample before (or without) its family's TYPE: ${line}`);
    if (family.type === 'counter' && !name.endsWith('_total')) throw new Error(`counter without _total: ${name}`);
    const key = `${name}{${labelText}}`;
    if (seen.has(key)) throw new Error(`two values for ${key}`);
    seen.add(key);
    family.samples.push({ name, labels: parseLabels(labelText, line), value });
  }
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family);
  return families;
}

function checkHistogram(family: ExpositionFamily): void {
  const series = new Map<string, ExpositionSample[]>();
  for (const sample of family.samples) {
    const { le: _le, ...rest } = sample.labels;
    const key = JSON.stringify(rest);
    series.set(key, [...(series.get(key) ?? []), sample]);
  }
  for (const [key, samples] of series) {
    const buckets = samples.filter((sample) => sample.name === `${family.name}_bucket`);
    const bounds = buckets.map((bucket) => Number(bucket.labels.le === '+Inf' ? Infinity : bucket.labels.le));
    expect(bounds, `${family.name} ${key}: bounds ascending, ending at +Inf`).toEqual(
      [...bounds].sort((a, b) => a - b),
    );
    expect(bounds.at(-1), `${family.name} ${key}`).toBe(Infinity);
    buckets.forEach((bucket, index) => {
      if (index > 0)
        expect(bucket.value, `${family.name} ${key}: cumulative`).toBeGreaterThanOrEqual(buckets[index - 1]!.value);
    });
    const count = samples.find((sample) => sample.name === `${family.name}_count`);
    const sum = samples.find((sample) => sample.name === `${family.name}_sum`);
    expect(count, `${family.name} ${key}: _count`).toBeDefined();
    expect(sum, `${family.name} ${key}: _sum`).toBeDefined();
    expect(buckets.at(-1)?.value, `${family.name} ${key}: +Inf = _count`).toBe(count?.value);
  }
}

/** The value of the one sample of `name` whose labels include `labels`; throws when none or several. */
export function sampleValue(
  families: Map<string, ExpositionFamily>,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number {
  const all = [...families.values()].flatMap((family) => family.samples);
  const found = all.filter(
    (sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
  if (found.length !== 1) throw new Error(`${found.length} samples of ${name} ${JSON.stringify(labels)}`);
  return found[0]!.value;
}
