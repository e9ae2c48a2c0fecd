// What the rest of the agent sees of the store: the FrameStore interface, its options and the shapes it returns. The
// uplink, the runtime and the demo depend on this file only, never on the SQLite implementation (frame-store.ts).
import type { Logger } from "../log.js";
import type { Frame, OpenPart } from "../pipeline/frame.js";
import type { DropReason } from "./gap-record.js";

export interface FrameStoreOptions {
  path: string;
  maxBytes: number;
  flushIntervalMs: number;
  commitEveryEvent: boolean;
  log: Logger;
  gatewayId?: string;
  /** Wall clock for queue ages; defaults to Date.now. */
  now?: () => number;
  /** Hard ceiling on the file in SQLite pages (a small partition); writes beyond it fail like a full disk. */
  maxPageCount?: number;
  /** SQLite page cache in KiB (default 1024: frames are written once and read once, in id order). */
  cacheSizeKiB?: number;
}

/** A frame as read back from the store: `id` orders frames by arrival and identifies them for acknowledgement. */
export interface StoredFrame extends Frame {
  id: number;
  createdMs: number;
}

export interface DropCount {
  frames: number;
  samples: number;
}

export interface StoreStats {
  queuedBytes: number;
  queuedFrames: number;
  /** Frames accepted but not yet committed (at most one flush interval's worth, or more while the disk is full). */
  pendingFrames: number;
  oldestUnsentAgeMs: number | null;
  drops: Record<DropReason, DropCount>;
  bytesWritten: number;
  bytesWrittenPerHour: number;
  quarantines: number;
  diskFull: boolean;
}

export interface FrameStore {
  nextSeq(stream: string): number;
  put(frame: Frame): void;
  commit(): void;
  stats(): StoreStats;
  close(): void;
  /** Called after every commit that made new frames available. Returns an unsubscribe function. */
  onCommit(listener: () => void): () => void;
  /** Committed, unacknowledged frames with afterId < id <= uptoId, oldest first, skipping pinned ones. */
  fetch(afterId: number, limit: number, uptoId?: number): StoredFrame[];
  /** Highest committed frame id (0 when none). */
  lastId(): number;
  /** Protects a frame being published (as fetch() returned it) from eviction until ack() or unpinAll(). */
  pin(frame: Pick<StoredFrame, "id" | "bytes">): void;
  unpinAll(): void;
  /** The broker acknowledged the frame: it leaves the store (deleted with the next grouped commit). */
  ack(id: number): void;
  /** Rewrites the bytes of untrusted frames in place; fn returns the new bytes or null to leave a frame as is. */
  restampUntrusted(fn: (bytes: Uint8Array, frame: Frame) => Uint8Array | null): number;
  /**
   * Persists the samples added to batches still being filled (with the next grouped commit), so a power cut loses at
   * most one flush interval of samples; a batch's parts go when its closed frame is put. Recovered as frames at the
   * next open.
   */
  checkpointOpen(parts: OpenPart[]): void;
  /** Changes the page ceiling (undefined: none); lets a full disk "get space back" in tests and on resize. */
  setMaxPageCount(pages: number | undefined): void;
  /** Copies the WAL into the database file now (otherwise every 30 s and at close); updates the write meter. */
  checkpoint(): void;
}
