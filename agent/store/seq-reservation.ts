// Sequence numbers must stay unique even when the database is quarantined and replaced. The database holds the
// exact next values; this small side file holds an upper bound reserved in large blocks, written rarely (once per
// block) so it costs the SD card nothing, and read only when the database had to be replaced.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";

export const SEQ_BLOCK = 100_000;

export class SeqReservation {
  private reserved: Map<string, number>;

  constructor(private readonly file: string) {
    this.reserved = SeqReservation.read(file);
  }

  /** The reserved upper bound for a stream (0 when none): after a quarantine, numbering restarts above it. */
  bound(stream: string): number {
    return this.reserved.get(stream) ?? 0;
  }

  private dirty = false;

  /** Makes sure `seq` lies below the reserved bound; the extension is persisted by the next persist(). */
  cover(stream: string, seq: number): void {
    if (seq < this.bound(stream)) return;
    this.reserved.set(stream, seq + SEQ_BLOCK);
    this.dirty = true;
  }

  /**
   * Writes the reservation if it grew. Called before every commit that stores frames, so a sequence number is
   * durable in the reservation before any frame carrying it is; one write covers every stream that grew.
   */
  persist(): void {
    if (!this.dirty) return;
    this.write();
    this.dirty = false;
  }

  private write(): void {
    const tmp = `${this.file}.tmp`;
    const fd = openSync(tmp, "w");
    try {
      writeSync(fd, JSON.stringify(Object.fromEntries(this.reserved)));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
  }

  private static read(file: string): Map<string, number> {
    try {
      const obj = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
      return new Map(Object.entries(obj).filter((e): e is [string, number] => Number.isSafeInteger(e[1])));
    } catch {
      return new Map();
    }
  }
}
