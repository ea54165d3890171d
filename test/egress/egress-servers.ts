import { connect, type Socket } from 'node:net';
import { Worker } from 'node:worker_threads';

/** A TCP port whose connects never complete, closed by `await using` or `close()`. */
export interface Blackhole extends AsyncDisposable {
  readonly origin: string;
  close(): Promise<void>;
}

// A listener in a worker thread that blocks its event loop, so it never accepts: once its accept
// queue (backlog 1 holds two connections on Linux) is full, the kernel drops every further SYN
// and a connect hangs until the client gives up, as a firewalled or vanished host behaves.
const blockingListener = `
const { parentPort } = require('node:worker_threads');
const server = require('node:net').createServer();
server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
  parentPort.once('message', () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0));
  parentPort.postMessage(server.address().port);
});
`;

/** Starts a {@link Blackhole}: a listening socket with a full backlog that never accepts. */
export async function startBlackhole(): Promise<Blackhole> {
  const worker = new Worker(blockingListener, { eval: true });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  worker.postMessage('block');
  const fillers: Socket[] = [];
  // Fill the accept queue: the kernel completes these handshakes itself; the next connect hangs.
  for (;;) {
    const socket = connect(port, '127.0.0.1');
    fillers.push(socket);
    const connected = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 300);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!connected) break;
    if (fillers.length > 64) throw new Error('the listener accepts: no blackhole on this machine');
  }
  const close = async (): Promise<void> => {
    for (const socket of fillers) socket.destroy();
    await worker.terminate();
  };
  return { origin: `http://127.0.0.1:${port}`, close, [Symbol.asyncDispose]: close };
}
