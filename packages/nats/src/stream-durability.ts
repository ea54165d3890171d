import type { StreamInfo } from '@nats-io/jetstream';

/** The replicas a stream needs so that one lost node loses no acknowledged message: 3. */
export const recommendedReplicas = 3;

/** One way an acknowledged message of a stream could be lost. */
export interface DurabilityRisk {
  /**
   * `MEMORY_STORAGE`: the stream is held in memory, so a restart of its servers loses it.
   * `FEW_REPLICAS`: fewer than three replicas, so one failed node can lose acknowledged writes.
   * `SYNC_NOT_ALWAYS`: the servers acknowledge before the write is on disk (the file store syncs
   * every two minutes by default); `SYNC_UNKNOWN`: the client cannot tell how the servers sync.
   */
  readonly code: 'MEMORY_STORAGE' | 'FEW_REPLICAS' | 'SYNC_NOT_ALWAYS' | 'SYNC_UNKNOWN';
  /** One sentence naming the risk and the fix. */
  readonly message: string;
}

/** What {@link assessStreamDurability} read of a stream and concluded. */
export interface DurabilityReport {
  readonly stream: string;
  readonly storage: 'file' | 'memory';
  readonly replicas: number;
  /** The version of the server the check talked to, e.g. `2.9.10`. */
  readonly serverVersion: string | undefined;
  /** Empty when nothing the check can see puts an acknowledged message at risk. */
  readonly risks: readonly DurabilityRisk[];
}

/** What is known of the servers' `jetstream { sync_interval }` beyond the stream's info. */
export interface DurabilityFacts {
  /** The server version from the connection's INFO. */
  readonly serverVersion?: string | undefined;
  /**
   * The servers' `sync_interval` as their operator configured it (`always`, `2m`), which a client
   * cannot read: say it to silence `SYNC_UNKNOWN`, or to have `SYNC_NOT_ALWAYS` checked.
   */
  readonly syncInterval?: string | undefined;
}

/** Whether a server version (`2.9.10`) is at least 2.10, the first with `sync_interval: always`. */
export function supportsSyncAlways(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map((part) => Number.parseInt(part, 10));
  return major > 2 || (major === 2 && minor >= 10);
}

function syncRisk(facts: DurabilityFacts): DurabilityRisk | undefined {
  const { serverVersion, syncInterval } = facts;
  if (serverVersion !== undefined && !supportsSyncAlways(serverVersion)) {
    return {
      code: 'SYNC_NOT_ALWAYS',
      message: `nats-server ${serverVersion} cannot sync every write before acknowledging it (\`sync_interval: always\` needs 2.10 or later): it syncs on its own schedule, so acknowledged writes rely on the other replicas`,
    };
  }
  if (syncInterval === undefined) {
    return {
      code: 'SYNC_UNKNOWN',
      message:
        "the servers' jetstream sync_interval cannot be read by a client: unless it is `always`, the file store syncs every two minutes and a crash of all replicas can lose acknowledged writes",
    };
  }
  if (syncInterval.trim().toLowerCase() === 'always') return undefined;
  return {
    code: 'SYNC_NOT_ALWAYS',
    message: `jetstream sync_interval is ${syncInterval}, not \`always\`: a write acknowledged in the last interval can be lost when its servers crash`,
  };
}

/**
 * Judges a stream's durability from its info: memory storage, fewer than three replicas, and a
 * sync interval other than `always` (when the server's version or the operator says it) each
 * add a risk. Pure: {@link checkStreamDurability} reads the info and logs what this finds.
 */
export function assessStreamDurability(info: StreamInfo, facts: DurabilityFacts = {}): DurabilityReport {
  const { name, storage } = info.config;
  const replicas = info.config.num_replicas > 0 ? info.config.num_replicas : 1;
  const risks: DurabilityRisk[] = [];
  if (storage === 'memory') {
    risks.push({
      code: 'MEMORY_STORAGE',
      message: `stream ${name} is held in memory: a restart of its servers loses every message; use file storage`,
    });
  }
  if (replicas < recommendedReplicas) {
    risks.push({
      code: 'FEW_REPLICAS',
      message: `stream ${name} has ${replicas} replica${replicas === 1 ? '' : 's'}: one failed node can lose acknowledged messages; use ${recommendedReplicas}`,
    });
  }
  const sync = syncRisk(facts);
  if (sync !== undefined) risks.push(sync);
  return {
    stream: name,
    storage: storage === 'memory' ? 'memory' : 'file',
    replicas,
    serverVersion: facts.serverVersion,
    risks,
  };
}
