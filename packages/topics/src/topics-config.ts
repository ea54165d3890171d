import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { builtInTargetTypes, type TopicTarget, type TopicTargetType } from './topic-target-type.js';
import { TopicsError, TopicsErrorCode, type TopicsConfigIssue } from './topics-error.js';

const topicName = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits and . _ : - only');

/** The shape of a topics configuration, before each target's own checks. */
export const topicsConfigSchema = z.strictObject({
  /** Where undelivered, scheduled and bulk events are kept: `sqlite:<file>`, `redis://…` or `postgres://…`. */
  outbox: z
    .strictObject({
      store: z.string().min(1),
      table: z.string().min(1).optional(),
      prefix: z.string().min(1).optional(),
    })
    .optional(),
  /** The longest a publish waits for its target before the event is stored as undelivered (ms). */
  publishTimeoutMs: z.number().int().positive().max(60_000).default(500),
  topics: z
    .array(
      z.strictObject({
        topic: topicName,
        type: z.string().min(1),
        endpoint: z.string().min(1),
        options: z.record(z.string(), z.unknown()).default({}),
      }),
    )
    .min(1, 'at least one topic'),
});

/** A validated topics configuration. */
export interface TopicsConfig {
  readonly outbox?:
    { readonly store: string; readonly table?: string | undefined; readonly prefix?: string | undefined } | undefined;
  readonly publishTimeoutMs: number;
  readonly topics: readonly TopicTarget<unknown>[];
}

/** What a configuration may be written as, before validation. */
export type TopicsConfigInput = z.input<typeof topicsConfigSchema>;

function where(path: readonly PropertyKey[], input: unknown): string {
  let text = '';
  let node: unknown = input;
  for (const key of path) {
    node = typeof node === 'object' && node !== null ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    if (typeof key === 'number') {
      const topic = (node as { topic?: unknown } | undefined)?.topic;
      text += `[${key}]${typeof topic === 'string' && text === 'topics' ? ` (${topic})` : ''}`;
    } else {
      text += `${text === '' ? '' : '.'}${String(key)}`;
    }
  }
  return text || '(config)';
}

/**
 * Validates a topics configuration: its shape, each topic's type (built in, or one of
 * `targetTypes`), endpoint and options, and that no topic is declared twice. Every issue names its
 * topic and field, e.g. `topics[1] (billing).endpoint: must be an http(s) URL`.
 *
 * @throws {TopicsError} `INVALID_CONFIG` with `issues`.
 */
export function readTopicsConfig(
  input: unknown,
  targetTypes: Readonly<Record<string, TopicTargetType<unknown>>> = {},
): TopicsConfig {
  const types = { ...builtInTargetTypes, ...targetTypes };
  const parsed = topicsConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw invalid(parsed.error.issues.map((issue) => ({ path: where(issue.path, input), message: issue.message })));
  }
  const issues: TopicsConfigIssue[] = [];
  const seen = new Set<string>();
  const topics = parsed.data.topics.flatMap((entry, index): TopicTarget<unknown>[] => {
    const at = `topics[${index}] (${entry.topic})`;
    if (seen.has(entry.topic)) issues.push({ path: `${at}.topic`, message: 'declared twice' });
    seen.add(entry.topic);
    const type = types[entry.type];
    if (type === undefined) {
      issues.push({
        path: `${at}.type`,
        message: `unknown type '${entry.type}' (known: ${Object.keys(types).join(', ')})`,
      });
      return [];
    }
    const endpointProblem = type.checkEndpoint?.(entry.endpoint);
    if (endpointProblem !== undefined) issues.push({ path: `${at}.endpoint`, message: endpointProblem });
    const options = type.options.safeParse(entry.options);
    if (!options.success) {
      for (const issue of options.error.issues) {
        issues.push({ path: [`${at}.options`, ...issue.path.map(String)].join('.'), message: issue.message });
      }
      return [];
    }
    return [{ topic: entry.topic, type: entry.type, endpoint: entry.endpoint, options: options.data }];
  });
  if (issues.length > 0) throw invalid(issues);
  return { outbox: parsed.data.outbox, publishTimeoutMs: parsed.data.publishTimeoutMs, topics };
}

/**
 * Reads a topics configuration from a JSON or YAML file (by extension: `.json`, or `.yaml`/`.yml`)
 * and validates it as {@link readTopicsConfig} does.
 *
 * @throws {TopicsError} `INVALID_CONFIG` for a file that cannot be read or parsed, or an invalid configuration.
 */
export async function loadTopicsConfig(
  file: string,
  targetTypes: Readonly<Record<string, TopicTargetType<unknown>>> = {},
): Promise<TopicsConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new TopicsError(TopicsErrorCode.InvalidConfig, `cannot read ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let input: unknown;
  try {
    input = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new TopicsError(
      TopicsErrorCode.InvalidConfig,
      `${file} is not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  try {
    return readTopicsConfig(input, targetTypes);
  } catch (error) {
    if (error instanceof TopicsError) {
      throw new TopicsError(error.code, `${file}: ${error.message}`, { issues: error.issues });
    }
    throw error;
  }
}

function invalid(issues: TopicsConfigIssue[]): TopicsError {
  return new TopicsError(
    TopicsErrorCode.InvalidConfig,
    `invalid topics configuration: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
    { issues },
  );
}
