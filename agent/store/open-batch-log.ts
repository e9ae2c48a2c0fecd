// The store's bookkeeping of the open-batch checkpoints between commits: the parts waiting for the next commit, the
// batches closed without a stored frame, and which open_bundles row holds the first part of each batch still open.
// From these a commit writes its one open_bundles row and deletes the rows no open batch needs any more
// (open-bundle.ts has the row format and the replay).
import type Database from "better-sqlite3";
import type { OpenPart } from "../pipeline/frame.js";
import { batchKey, encodeOpenBundle, type BatchRef } from "./open-bundle.js";

/** What one commit's open_bundles row does to the open batches: opens some (their first part is in row `id`), closes some. */
export interface BundleChange {
  id: number;
  opened: Set<string>;
  closed: Set<string>;
  bundlesFrom: number;
}

type Prepare = (sql: string) => Database.Statement;

export class OpenBatchLog {
  /** Parts handed over since the last commit. */
  private parts: OpenPart[] = [];
  /** Each open batch ("seq stream") with a committed part: the open_bundles row holding its first part. */
  private openFirst = new Map<string, number>();
  /** open_bundles rows below this id are known deleted. */
  private bundlesFrom = 0;
  /** Batches whose closed frame was dropped before it could be stored (a full medium). */
  private closedUnstored: BatchRef[] = [];

  /** Parts to persist with the next commit. */
  add(parts: OpenPart[]): void {
    for (const p of parts) this.parts.push(p);
  }

  /** True while parts wait for a commit. */
  get waiting(): boolean {
    return this.parts.length > 0;
  }

  /** A batch whose frame was dropped before it was stored: its checkpointed parts must not come back after a crash. */
  closedWithoutFrame(batch: BatchRef): void {
    this.closedUnstored.push(batch);
  }

  /**
   * A database was (re)opened: its checkpoints were recovered as frames and deleted, so no batch has a committed part
   * any more. Parts still waiting stay for the next commit.
   */
  reopened(): void {
    this.openFirst = new Map();
    this.bundlesFrom = 0;
    this.closedUnstored = [];
  }

  /**
   * Inside the commit's transaction: one open_bundles row with the waiting parts and the checkpointed batches that
   * `closing` (the frames this commit stores) and the unstored closes end, and the deletion of the rows no open batch
   * needs any more. Returns the change to hand to committed() once the transaction has committed.
   */
  write(prepare: Prepare, closing: Iterable<BatchRef>): BundleChange | undefined {
    const closed: BatchRef[] = [];
    const closedKeys = new Set<string>();
    const opened = new Set<string>();
    for (const p of this.parts) {
      const k = batchKey(p.stream, p.seq);
      if (!this.openFirst.has(k)) opened.add(k);
    }
    const closes = (f: BatchRef): void => {
      const k = batchKey(f.stream, f.seq);
      if (!this.openFirst.has(k) && !opened.has(k)) return;
      closed.push({ stream: f.stream, seq: f.seq });
      closedKeys.add(k);
    };
    for (const f of closing) closes(f);
    this.closedUnstored.forEach(closes);
    if (!this.parts.length && !closed.length) return undefined;
    const bytes = encodeOpenBundle({ parts: this.parts, closed });
    const id = Number(prepare("INSERT INTO open_bundles (bytes) VALUES (?)").run(bytes).lastInsertRowid);
    // Every row below the first part of the oldest open batch holds only parts of closed batches. This row stays
    // (it holds the first parts of the batches it opens), even when every batch has closed: row ids then keep
    // growing, where a rowid table emptied by this delete would number its next rows from 1 again.
    let keepFrom = id;
    for (const [k, first] of this.openFirst) if (first < keepFrom && !closedKeys.has(k)) keepFrom = first;
    if (keepFrom > this.bundlesFrom) prepare("DELETE FROM open_bundles WHERE id < ?").run(keepFrom);
    for (const k of closedKeys) opened.delete(k);
    return { id, opened, closed: closedKeys, bundlesFrom: Math.max(keepFrom, this.bundlesFrom) };
  }

  /** The commit that wrote `change` (undefined: no row was needed) is durable: the waiting parts are in it. */
  committed(change: BundleChange | undefined): void {
    if (change) {
      for (const k of change.closed) this.openFirst.delete(k);
      for (const k of change.opened) this.openFirst.set(k, change.id);
      this.bundlesFrom = change.bundlesFrom;
    }
    this.closedUnstored = [];
    this.parts = [];
  }
}
