/** The messages between the client bench (client-process.ts) and a client's process (client-child.ts). */

/** What the bench asks of a client's process: one at a time, each answered once. */
export type ClientCommand =
  | { readonly kind: 'drive'; readonly seconds: number }
  | { readonly kind: 'spend'; readonly calls: number }
  | { readonly kind: 'close' };

/** A client process's answers. */
export type ClientReply =
  | { readonly kind: 'ready' }
  | {
      readonly kind: 'drove';
      readonly rate: number;
      readonly p50: number;
      readonly p99: number;
      readonly errors: number;
    }
  | {
      readonly kind: 'spent';
      readonly microsPerCall: number;
      /** ms of garbage collection per 1,000 calls. */
      readonly collectionMsPerThousandCalls: number;
      /** Full (mark-compact) collections during the calls. */
      readonly fullCollections: number;
    }
  | { readonly kind: 'closed' }
  | { readonly kind: 'failed'; readonly message: string };
