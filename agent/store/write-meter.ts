// Counts what the store writes to the medium: every WAL frame (page + 24-byte header, SQLite file format
// section 4.1) and every page a checkpoint copies back into the database file.
const WAL_FRAME_HEADER = 24;
const HOUR_MS = 3_600_000;

export class WriteMeter {
  pageSize = 4096;
  total = 0;
  private readonly startMs: number;
  private history: { t: number; total: number }[] = [];

  constructor(private readonly now: () => number) {
    this.startMs = now();
  }

  /** `walFrames`: frames in the WAL after the commit; `checkpointed`: pages copied back (PRAGMA wal_checkpoint). */
  record(walFrames: number, checkpointed: number): void {
    this.total += walFrames * (this.pageSize + WAL_FRAME_HEADER) + checkpointed * this.pageSize;
    const t = this.now();
    this.history.push({ t, total: this.total });
    while (this.history.length > 2 && this.history[1].t <= t - HOUR_MS) this.history.shift();
  }

  /** Bytes written over the last hour, extrapolated from the time observed when less than an hour has passed. */
  perHour(): number {
    const t = this.now();
    const first = this.history.length && this.history[0].t <= t - HOUR_MS ? this.history[0] : { t: this.startMs, total: 0 };
    const span = Math.max(t - first.t, 1);
    return span >= HOUR_MS ? this.total - first.total : ((this.total - first.total) * HOUR_MS) / span;
  }
}
