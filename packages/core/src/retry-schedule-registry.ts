import type { z } from 'zod';
import {
  exponentialSchedule,
  exponentialScheduleOptions,
  fixedSchedule,
  fixedScheduleOptions,
  linearSchedule,
  linearScheduleOptions,
  randomSchedule,
  randomScheduleOptions,
  type RandomSource,
  type RetrySchedule,
  type RetryScheduleDefinition,
} from './retry-schedule.js';
import { RetryScheduleError } from './retry-schedule-error.js';

/** Makes a schedule from its validated options. */
export type RetryScheduleFactory<TOptions> = (options: TOptions, random: RandomSource) => RetrySchedule;

interface RegisteredSchedule {
  readonly options: z.ZodType;
  readonly create: RetryScheduleFactory<never>;
}

/**
 * Schedules by name, each with a zod schema for its options, so a stored definition such as
 * `{ schedule: 'exponential', options: { baseMs: 1000, capMs: 60000, maxAttempts: 8 } }` is
 * validated when it is saved, not when it fires. Starts with `fixed`, `linear`, `exponential` and
 * `random`; applications register their own.
 *
 * @example
 * const schedules = new RetryScheduleRegistry();
 * schedules.register('fibonacci', z.object({ maxAttempts: z.number().int() }), (o) => fibonacci(o));
 * const schedule = schedules.create({ schedule: 'exponential', options: { baseMs: 100, capMs: 5000, maxAttempts: 5 } });
 */
export class RetryScheduleRegistry {
  readonly #schedules = new Map<string, RegisteredSchedule>();
  readonly #random: RandomSource;

  constructor(options?: { random?: RandomSource; builtIns?: boolean }) {
    this.#random = options?.random ?? Math.random;
    if (options?.builtIns === false) return;
    this.register('fixed', fixedScheduleOptions, (o) => fixedSchedule(o));
    this.register('linear', linearScheduleOptions, (o) => linearSchedule(o));
    this.register('exponential', exponentialScheduleOptions, (o, random) => exponentialSchedule(o, random));
    this.register('random', randomScheduleOptions, (o, random) => randomSchedule(o, random));
  }

  /**
   * Adds a schedule under `name`.
   *
   * @throws {TypeError} when the name is already taken.
   */
  register<TSchema extends z.ZodType>(
    name: string,
    options: TSchema,
    create: RetryScheduleFactory<z.output<TSchema>>,
  ): this {
    if (this.#schedules.has(name)) throw new TypeError(`retry schedule '${name}' is already registered`);
    this.#schedules.set(name, { options, create: create });
    return this;
  }

  /** The registered schedule names. */
  names(): string[] {
    return [...this.#schedules.keys()];
  }

  /**
   * Validates a definition and returns it with its options as parsed (defaults filled in).
   *
   * @throws {RetryScheduleError} for an unknown name or invalid options.
   */
  validate(definition: RetryScheduleDefinition): { schedule: string; options: Record<string, unknown> } {
    const registered = this.#schedules.get(definition.schedule);
    if (registered === undefined) {
      throw new RetryScheduleError(
        'UNKNOWN_SCHEDULE',
        `unknown retry schedule '${definition.schedule}' (known: ${this.names().join(', ')})`,
      );
    }
    const result = registered.options.safeParse(definition.options ?? {});
    if (!result.success) {
      const issues = result.error.issues.map((issue) => ({ path: issue.path, message: issue.message }));
      const summary = issues.map((issue) => `${issue.path.join('.') || '(options)'}: ${issue.message}`).join('; ');
      throw new RetryScheduleError(
        'INVALID_SCHEDULE_OPTIONS',
        `invalid options for retry schedule '${definition.schedule}': ${summary}`,
        issues,
        {
          cause: result.error,
        },
      );
    }
    return { schedule: definition.schedule, options: result.data as Record<string, unknown> };
  }

  /**
   * Creates the schedule a definition names.
   *
   * @throws {RetryScheduleError} for an unknown name or invalid options.
   */
  create(definition: RetryScheduleDefinition): RetrySchedule {
    const { options } = this.validate(definition);
    const registered = this.#schedules.get(definition.schedule) as RegisteredSchedule;
    return registered.create(options as never, this.#random);
  }
}
