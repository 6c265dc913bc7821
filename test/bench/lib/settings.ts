// Run settings: the full run and --quick differ only in durations and sizes.

export interface Settings {
  quick: boolean;
  /** Repetitions of every product/bare pair (alternating which goes first). */
  reps: number;
  /** Length of one autocannon run, seconds (also the bare SQLite loop's). */
  cannonSeconds: number;
  warmupSeconds: number;
  connections: number;
  /** Subscribed sockets during S2. */
  s2Sockets: number;
  /** Client counts for S3, S5 and S6. */
  ns: number[];
  /** Paced writes and their rate, then back-to-back writes, for S3. */
  paced: number;
  pacedPerSecond: number;
  burst: number;
  /** Changes missed while disconnected, for S5. */
  missed: number;
  /** S11: sockets per node (twice this on the single node), paced writes on node A and their rate. */
  s11Sockets: number;
  s11Writes: number;
  s11PerSecond: number;
  /** Clients created per batch. */
  batch: number;
  /** Write V8 CPU profiles of the Taskwire server children. */
  profile: boolean;
  /** Only these scenarios (S1, S2, S3/S5/S6 run together as "RT", S9, ...); null for all. */
  only: Set<string> | null;
}

export function settingsFor(quick: boolean): Omit<Settings, 'profile' | 'only'> {
  return quick
    ? { quick, reps: 3, cannonSeconds: 3, warmupSeconds: 1, connections: 50, s2Sockets: 100, ns: [1_000], paced: 10, pacedPerSecond: 5, burst: 30, missed: 100, batch: 100, s11Sockets: 500, s11Writes: 100, s11PerSecond: 10 }
    : { quick, reps: 3, cannonSeconds: 10, warmupSeconds: 2, connections: 50, s2Sockets: 100, ns: [1_000, 5_000], paced: 100, pacedPerSecond: 5, burst: 200, missed: 100, batch: 100, s11Sockets: 2_500, s11Writes: 100, s11PerSecond: 5 };
}
