import { readdir, readFile } from 'node:fs/promises';
import pg from 'pg';

/**
 * What a stretch of delivery cost, beside its wall-clock time: CPU of this process (producer,
 * workers and the in-process receiver), CPU of the PostgreSQL server's processes, and the WAL
 * flushes (fsyncs) PostgreSQL made. On a machine shared with other work these move far less than
 * events per second, so before/after comparisons read them.
 */
export interface DeliveryCost {
  /** This process's user + system CPU, ms per event. */
  processCpuMsPerEvent: number;
  /** The PostgreSQL server's user + system CPU (every backend and helper), ms per event; 0 without one. */
  postgresCpuMsPerEvent: number;
  /** WAL fsyncs per 1,000 events (`pg_stat_wal.wal_sync`), server-wide; 0 without PostgreSQL. */
  walSyncsPerThousand: number;
}

/** Clock ticks per second of `/proc/<pid>/stat` (USER_HZ): 100 on Linux almost always. */
const ticksPerSecond = 100;

/** user + system ticks of every process whose parent is `postmaster` (and of it), by pid. */
async function postgresTicks(postmaster: number): Promise<Map<number, number>> {
  const ticks = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => undefined);
    if (stat === undefined) continue;
    // Fields after the command's closing parenthesis: state, ppid, … utime (14th), stime (15th).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pid = Number(entry);
    if (pid !== postmaster && Number(fields[1]) !== postmaster) continue;
    ticks.set(pid, Number(fields[11]) + Number(fields[12]));
  }
  return ticks;
}

/** The pid of the PostgreSQL server listening on `port` (the `postgres -p <port>` process). */
async function postmasterOn(port: number): Promise<number | undefined> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const command = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    const args = command.split('\0');
    if (args[0]?.endsWith('/postgres') === true && args[args.indexOf('-p') + 1] === String(port)) return Number(entry);
  }
  return undefined;
}

async function walSyncs(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ syncs: string }>('SELECT wal_sync::text AS syncs FROM pg_stat_wal');
    return Number(rows[0]?.syncs ?? 0);
  } finally {
    await client.end();
  }
}

/** Starts measuring; the returned function ends it and gives the cost per event of `events`. */
export async function startCostProbe(
  postgresUrl: string | undefined,
): Promise<(events: number) => Promise<DeliveryCost>> {
  const port = postgresUrl === undefined ? undefined : Number(new URL(postgresUrl).port);
  const postmaster = port === undefined ? undefined : await postmasterOn(port);
  const syncsBefore = postgresUrl === undefined ? 0 : await walSyncs(postgresUrl);
  const ticksBefore = postmaster === undefined ? new Map<number, number>() : await postgresTicks(postmaster);
  const cpuBefore = process.cpuUsage();
  return async (events) => {
    const cpu = process.cpuUsage(cpuBefore);
    const ticksAfter = postmaster === undefined ? new Map<number, number>() : await postgresTicks(postmaster);
    let ticks = 0;
    for (const [pid, after] of ticksAfter) ticks += after - (ticksBefore.get(pid) ?? 0);
    const syncs = postgresUrl === undefined ? 0 : (await walSyncs(postgresUrl)) - syncsBefore;
    return {
      processCpuMsPerEvent: (cpu.user + cpu.system) / 1000 / events,
      postgresCpuMsPerEvent: ((ticks / ticksPerSecond) * 1000) / events,
      walSyncsPerThousand: (syncs * 1000) / events,
    };
  };
}
