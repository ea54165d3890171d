import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PublishError, PublishErrorCode } from '../publish-error.js';
import { checkPublishOptions } from '../check-publish-options.js';
import { serializeEvent } from '../serialize-event.js';
import { SinkLifecycle } from '../sink-lifecycle.js';
import type { PublishedEvent, PublishOptions, Sink } from '../sink.js';

/** Where a {@link FileSink} writes. */
export interface FileSinkOptions {
  /** The directory (created when missing). */
  directory: string;
  /** Flush each file to disk before it appears (`fsync`); on by default. */
  sync?: boolean;
  /** Write the event's `identity`; off by default (`{}`). The event's `auth` is never written. */
  includeIdentity?: boolean;
}

/** The last file stamp of this process: every FileSink shares it, so a new sink keeps the order. */
let lastStamp = { time: '', sequence: 0 };

/**
 * `<UTC time>-<sequence>`, increasing across every FileSink of the process: the sequence counts
 * the files of one millisecond, so names sort in publish order even when a sink made a moment ago
 * wrote in the same millisecond.
 */
function nextFileStamp(): string {
  const time = new Date().toISOString().replace(/[-:.]/g, '');
  lastStamp = time === lastStamp.time ? { time, sequence: lastStamp.sequence + 1 } : { time, sequence: 0 };
  return `${time}-${String(lastStamp.sequence).padStart(6, '0')}`;
}

/**
 * One JSON file per event in a directory, for local development: `ls` lists them in publish
 * order (`<UTC time>-<sequence>-<id>.json`, the sequence breaking ties within a millisecond), and
 * each file appears whole (written to a temporary name, then renamed), never half-written.
 * The file holds the event and, when given, its topic and attributes.
 */
export class FileSink implements Sink {
  readonly name: string;
  readonly #directory: string;
  readonly #sync: boolean;
  readonly #includeIdentity: boolean;
  #ready: Promise<void> | undefined;
  readonly #lifecycle: SinkLifecycle;

  constructor(options: FileSinkOptions) {
    this.#directory = options.directory;
    this.#sync = options.sync ?? true;
    this.#includeIdentity = options.includeIdentity === true;
    this.name = `file:${options.directory}`;
    this.#lifecycle = new SinkLifecycle(this.name);
  }

  async publish(event: PublishedEvent, options: PublishOptions = {}): Promise<void> {
    this.#lifecycle.assertOpen();
    checkPublishOptions(options, this.name);
    const { topic, attributes } = options;
    const text = serializeEvent(event, this.name, {
      identity: this.#includeIdentity,
      ...(topic === undefined && attributes === undefined ? {} : { extra: { topic, attributes } }),
    });
    const fileName = `${nextFileStamp()}-${event.id.replace(/[^A-Za-z0-9_-]/g, '_')}.json`;
    const temporary = join(this.#directory, `.${fileName}.tmp`);
    try {
      await (this.#ready ??= mkdir(this.#directory, { recursive: true }).then(() => undefined));
      const file = await open(temporary, 'w');
      try {
        await file.writeFile(text, 'utf8');
        if (this.#sync) await file.sync();
      } finally {
        await file.close();
      }
      await rename(temporary, join(this.#directory, fileName));
    } catch (error) {
      this.#ready = undefined;
      await rm(temporary, { force: true }).catch(() => undefined);
      throw new PublishError(PublishErrorCode.Unreachable, `${this.name}: cannot write ${fileName}`, {
        cause: error,
        sink: this.name,
      });
    }
  }

  async healthCheck(): Promise<boolean> {
    try {
      await mkdir(this.#directory, { recursive: true });
      await readdir(this.#directory);
      return true;
    } catch {
      return false;
    }
  }

  /** After it, publishing rejects with `CLOSED`; the files stay. */
  close(): Promise<void> {
    return this.#lifecycle.close();
  }
}
