import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

/** What the bridge passes a handler after the request, as Bun and Deno pass their own host objects. */
export interface BridgeHost {
  /** The peer's address, from the socket. */
  readonly remoteAddress: string | undefined;
}

/** A web-standard handler, as the fetch handler and any `Request`/`Response` framework is. */
export type WebHandler = (request: Request, host: BridgeHost) => Promise<Response>;

/**
 * Serves a web-standard handler on node:http, as Node hosts of such handlers do: the request's
 * body is a stream read on demand (cancelling it discards the rest, and the connection is closed
 * after the answer, as for any body left unread), the response's body is streamed back. A handler
 * that rejects gets a bare 500: the handler under test must never let that happen.
 */
export function fetchBridge(handler: WebHandler): RequestListener {
  return (incoming, outgoing) => {
    const body = incoming.method === 'GET' || incoming.method === 'HEAD' ? null : bodyStream(incoming);
    const request = new Request(`http://${incoming.headers.host ?? '127.0.0.1'}${incoming.url ?? '/'}`, {
      method: incoming.method ?? 'GET',
      headers: headersOf(incoming),
      body,
      duplex: 'half',
    });
    handler(request, { remoteAddress: incoming.socket.remoteAddress })
      .then(
        (response) => writeResponse(incoming, response, outgoing),
        () => {
          outgoing.writeHead(500, { connection: 'close' });
          outgoing.end();
        },
      )
      .catch(() => outgoing.destroy());
  };
}

function headersOf(incoming: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = incoming.rawHeaders;
  for (let index = 0; index + 1 < raw.length; index += 2) headers.append(raw[index]!, raw[index + 1]!);
  return headers;
}

function bodyStream(incoming: IncomingMessage): ReadableStream<Uint8Array> {
  let open = true;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      incoming.on('data', (chunk: Buffer) => {
        if (!open) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) incoming.pause();
      });
      incoming.once('end', () => {
        if (open) controller.close();
        open = false;
      });
      incoming.once('error', (error) => {
        if (open) controller.error(error);
        open = false;
      });
    },
    pull() {
      incoming.resume();
    },
    cancel() {
      open = false;
      incoming.resume();
    },
  });
}

async function writeResponse(incoming: IncomingMessage, response: Response, outgoing: ServerResponse): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  if (!incoming.complete) headers['connection'] = 'close';
  outgoing.writeHead(response.status, headers);
  if (response.body !== null && incoming.method !== 'HEAD') {
    for await (const chunk of response.body) outgoing.write(chunk);
  }
  outgoing.end();
}
