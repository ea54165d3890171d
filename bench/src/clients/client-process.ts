/**
 * A client of the client bench in its own process (client-child.ts), on the bench's own core:
 * the bench asks it to drive calls for a round, or to spend a number of calls and report its CPU.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ClientKey } from './client-calls.js';
import type { ClientCommand, ClientReply } from './client-messages.js';

/** One round of calls: calls per second, p50 and p99 in ms, and how many calls failed. */
export interface DriveResult {
  readonly rate: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

/** What a number of calls cost the client's process: CPU per call and the collector's share. */
export interface CallCost {
  readonly microsPerCall: number;
  readonly collectionMsPerThousandCalls: number;
  readonly fullCollections: number;
}

const childScript = fileURLToPath(new URL('./client-child.js', import.meta.url));

export class ClientProcess {
  readonly key: ClientKey;
  readonly #child: ChildProcess;
  #pending: { resolve: (reply: ClientReply) => void; reject: (error: Error) => void } | undefined;
  #exited: Error | undefined;

  private constructor(key: ClientKey, child: ChildProcess) {
    this.key = key;
    this.#child = child;
    child.on('message', (reply: ClientReply) => {
      const pending = this.#pending;
      this.#pending = undefined;
      pending?.resolve(reply);
    });
    child.once('exit', (code, signal) => {
      this.#exited = new Error(`the ${key} client process exited (${String(code ?? signal)})`);
      this.#pending?.reject(this.#exited);
      this.#pending = undefined;
    });
  }

  /**
   * Starts the client `key` against `url` in a process of its own and waits until it is open.
   * `clientEntry` names another build's client to measure (see client-calls.ts).
   */
  static async start(key: ClientKey, url: string, connections: number, clientEntry?: string): Promise<ClientProcess> {
    const child = fork(
      childScript,
      [key, url, String(connections), ...(clientEntry === undefined ? [] : [clientEntry])],
      {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    );
    const handle = new ClientProcess(key, child);
    const ready = await handle.#next();
    if (ready.kind !== 'ready') throw new Error(`the ${key} client process did not start: ${JSON.stringify(ready)}`);
    return handle;
  }

  /** Keeps `connections` calls in flight for `seconds`. */
  async drive(seconds: number): Promise<DriveResult> {
    const reply = await this.#ask({ kind: 'drive', seconds });
    if (reply.kind !== 'drove') throw new Error(`the ${this.key} client did not drive: ${JSON.stringify(reply)}`);
    return { rate: reply.rate, p50: reply.p50, p99: reply.p99, errors: reply.errors };
  }

  /** Makes `calls` calls and returns what they cost the process: CPU µs per call and its collections. */
  async costOfCalls(calls: number): Promise<CallCost> {
    const reply = await this.#ask({ kind: 'spend', calls });
    if (reply.kind !== 'spent')
      throw new Error(`the ${this.key} client did not make its calls: ${JSON.stringify(reply)}`);
    const { microsPerCall, collectionMsPerThousandCalls, fullCollections } = reply;
    return { microsPerCall, collectionMsPerThousandCalls, fullCollections };
  }

  /** Closes the client and waits for its process to end; kills it if it does not within 5 s. */
  async close(): Promise<void> {
    if (this.#exited !== undefined) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 5_000);
    try {
      await this.#ask({ kind: 'close' });
    } catch {
      // It exited already.
    }
    await exited;
    clearTimeout(timer);
  }

  #ask(command: ClientCommand): Promise<ClientReply> {
    const reply = this.#next();
    this.#child.send(command);
    return reply;
  }

  #next(): Promise<ClientReply> {
    if (this.#exited !== undefined) return Promise.reject(this.#exited);
    if (this.#pending !== undefined) return Promise.reject(new Error(`the ${this.key} client is busy`));
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
    });
  }
}
