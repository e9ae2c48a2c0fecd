// Durable store-and-forward queue of encoded frames on SQLite (WAL, synchronous=FULL): grouped commits, a byte
// bound with a priority drop policy, gap records for every drop, and self-repair by quarantining a bad file.
import Database from "better-sqlite3";
import type { Logger } from "../log.js";
import { RateLimitedLog } from "../log.js";
import type { Frame, OpenPart } from "../pipeline/frame.js";
import type { PriorityLevel } from "../model.js";
import { ROW_OVERHEAD_BYTES, SCHEMA } from "./sql.js";
import { SeqReservation } from "./seq-reservation.js";
import { isCorruption, isDiskFull, quarantineDatabase } from "./quarantine.js";
import { gapFrame, mergeGap, type DropReason, type GapRange } from "./gap-record.js";
import { WriteMeter } from "./write-meter.js";
import { RecentFrames } from "./recent-frames.js";
import { OpenBatchLog, type BundleChange } from "./open-batch-log.js";
import { recoverOpenBatches } from "./open-batch-recovery.js";
import { evictFrames, type DroppedFrame } from "./eviction.js";
import type { DropCount, FrameStore, FrameStoreOptions, StoreStats, StoredFrame } from "./frame-store-types.js";

interface Pending {
  frame: Frame;
  createdMs: number;
}

interface FrameRow {
  id: number;
  stream: string;
  seq: number;
  priority: number;
  urgent: number;
  untrusted: number;
  codec: string;
  samples: number;
  t_first: number;
  t_last: number;
  created_ms: number;
  bytes: Buffer;
}

const REASONS: DropReason[] = ["overflow", "disk-full", "quarantine"];
/**
 * WAL pages are copied back into the database file at most this often (and at close): each checkpoint costs an
 * fsync of the database file, and copying a page once per interval instead of once per commit spares the card.
 */
const CHECKPOINT_EVERY_MS = 30_000;
/** While the disk is full, accepted frames wait in memory up to this share of maxBytes, then the lowest go. */
const PENDING_SHARE_WHILE_FULL = 1 / 16;

export function openFrameStore(opts: FrameStoreOptions): FrameStore {
  return new SqliteFrameStore(opts);
}

function frameSize(f: Frame): number {
  return f.bytes.byteLength + ROW_OVERHEAD_BYTES;
}

class SqliteFrameStore implements FrameStore {
  private db!: Database.Database;
  private readonly log: Logger;
  private readonly rl: RateLimitedLog;
  private readonly now: () => number;
  private readonly reservation: SeqReservation;
  private readonly next = new Map<string, number>();
  private readonly dirtySeqs = new Set<string>();
  private pending: Pending[] = [];
  private readonly openBatches = new OpenBatchLog();
  /**
   * The last commits' frames, for the uplink's live reads. Small: the live path needs the few frames of each second
   * (the once-a-minute burst of 100 temperature frames partly falls back to a query), and during an outage nothing
   * reads them while they take memory.
   */
  private readonly recent = new RecentFrames(64, 128 * 1024, 1);
  private pendingBytes = 0;
  private readonly pendingAcks = new Map<number, number>();
  private readonly pinned = new Map<number, number>();
  /** In flight (pinned) or acknowledged and deleted with the next commit: not to be fetched, evicted or rewritten. */
  private readonly busy = (id: number): boolean => this.pinned.has(id) || this.pendingAcks.has(id);
  private gaps = new Map<string, GapRange>();
  private readonly drops = new Map<DropReason, DropCount>(REASONS.map((r) => [r, { frames: 0, samples: 0 }]));
  private queuedBytes = 0;
  private queuedFrames = 0;
  private maxId = 0;
  private quarantines = 0;
  private diskFull = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly meter: WriteMeter;
  private maxPageCount: number | undefined;
  private closed = false;
  private lastCheckpointMs = 0;

  constructor(private readonly opts: FrameStoreOptions) {
    this.log = opts.log.child({ component: "store" });
    this.rl = new RateLimitedLog(this.log);
    this.now = opts.now ?? Date.now;
    this.meter = new WriteMeter(this.now);
    this.maxPageCount = opts.maxPageCount;
    this.reservation = new SeqReservation(`${opts.path}.seq`);
    this.openOrRepair();
  }

  // ---- producer side ----

  nextSeq(stream: string): number {
    let s = this.next.get(stream);
    if (s === undefined) s = this.reservation.bound(stream);
    this.next.set(stream, s + 1);
    this.dirtySeqs.add(stream);
    this.reservation.cover(stream, s);
    return s;
  }

  put(frame: Frame): void {
    if (this.closed) throw new Error("frame store is closed");
    this.pending.push({ frame, createdMs: this.now() });
    this.pendingBytes += frameSize(frame);
    if (this.opts.flushIntervalMs === 0 || (frame.urgent && this.opts.commitEveryEvent)) this.commit();
    else this.schedule();
  }

  checkpointOpen(parts: OpenPart[]): void {
    if (this.closed || parts.length === 0) return;
    this.openBatches.add(parts);
    this.schedule();
  }

  commit(): void {
    if (this.closed) return;
    this.clearTimer();
    if (!this.pending.length && !this.pendingAcks.size && !this.dirtySeqs.size && !this.gaps.size && !this.openBatches.waiting) return;
    const added = this.pending.length > 0 || this.gaps.size > 0;
    try {
      this.commitOnce();
    } catch (e) {
      if (isDiskFull(e)) this.onDiskFull();
      else if (isCorruption(e)) this.repairWhileRunning(e);
      else this.rl.error("store.commit", "store commit failed; frames kept in memory for the next attempt", { err: String(e) });
      if (this.pending.length || this.gaps.size) this.schedule();
      return;
    }
    if (this.diskFull) {
      this.diskFull = false;
      this.log.info("store writable again");
    }
    if (added) for (const l of this.listeners) l();
    // After the listeners: what this commit made durable (a door event) is published before the checkpoint copies the
    // WAL back and syncs the database file, a second fsync that would otherwise sit in the event's path.
    if (this.now() - this.lastCheckpointMs >= CHECKPOINT_EVERY_MS) this.checkpoint();
  }

  // ---- uplink side ----

  onCommit(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  fetch(afterId: number, limit: number, uptoId = Number.MAX_SAFE_INTEGER): StoredFrame[] {
    if (limit <= 0 || this.closed) return [];
    try {
      return this.fetchRows(afterId, limit, uptoId);
    } catch (e) {
      if (!isCorruption(e)) throw e;
      this.repairWhileRunning(e);
      return [];
    }
  }

  private fetchRows(afterId: number, limit: number, uptoId: number): StoredFrame[] {
    if (this.recent.covers(afterId)) return this.recent.read(afterId, uptoId, limit, this.busy);
    const out: StoredFrame[] = [];
    let cursor = afterId;
    while (out.length < limit) {
      const rows = this.stmt("SELECT * FROM frames WHERE id > ? AND id <= ? ORDER BY id LIMIT ?").all(cursor, uptoId, limit) as FrameRow[];
      for (const r of rows) {
        cursor = r.id;
        if (this.busy(r.id)) continue;
        out.push(toStored(r));
        if (out.length === limit) break;
      }
      if (rows.length < limit) break;
    }
    return out;
  }

  lastId(): number {
    return this.maxId;
  }

  pin(frame: Pick<StoredFrame, "id" | "bytes">): void {
    // The size comes with the fetched frame: a query per published frame was a measurable part of the live path.
    this.pinned.set(frame.id, frame.bytes.byteLength + ROW_OVERHEAD_BYTES);
  }

  unpinAll(): void {
    this.pinned.clear();
  }

  ack(id: number): void {
    const size = this.pinned.get(id);
    this.pinned.delete(id);
    if (size === undefined || this.pendingAcks.has(id)) return;
    this.pendingAcks.set(id, size);
    this.queuedBytes -= size;
    this.queuedFrames--;
    this.schedule();
  }

  restampUntrusted(fn: (bytes: Uint8Array, frame: Frame) => Uint8Array | null): number {
    let n = 0;
    for (const p of this.pending) {
      if (!p.frame.untrusted) continue;
      const b = fn(p.frame.bytes, p.frame);
      if (!b) continue;
      this.pendingBytes += b.byteLength - p.frame.bytes.byteLength;
      p.frame = { ...p.frame, bytes: b, untrusted: false };
      n++;
    }
    const rows = this.stmt("SELECT * FROM frames WHERE untrusted = 1").all() as FrameRow[];
    const update = this.stmt("UPDATE frames SET bytes = ?, untrusted = 0 WHERE id = ?");
    const rewritten: [number, Uint8Array][] = [];
    this.db.transaction(() => {
      for (const r of rows) {
        if (this.busy(r.id)) continue;
        const f = toStored(r);
        const b = fn(f.bytes, f);
        if (!b) continue;
        update.run(b, r.id);
        rewritten.push([r.id, b]);
        this.queuedBytes += b.byteLength - f.bytes.byteLength;
        n++;
      }
    })();
    for (const [id, b] of rewritten) this.recent.replace(id, b);
    return n;
  }

  setMaxPageCount(pages: number | undefined): void {
    this.maxPageCount = pages;
    this.db.pragma(`max_page_count = ${pages ?? 0xfffffffe}`);
  }

  stats(): StoreStats {
    const drops = Object.fromEntries(REASONS.map((r) => [r, { ...this.drops.get(r)! }])) as Record<DropReason, DropCount>;
    return {
      queuedBytes: this.queuedBytes,
      queuedFrames: this.queuedFrames,
      pendingFrames: this.pending.length,
      oldestUnsentAgeMs: this.oldestUnsentAge(),
      drops,
      bytesWritten: this.meter.total,
      bytesWrittenPerHour: this.meter.perHour(),
      quarantines: this.quarantines,
      diskFull: this.diskFull,
    };
  }

  close(): void {
    if (this.closed) return;
    this.commit();
    this.checkpoint();
    this.closed = true;
    this.clearTimer();
    this.listeners.clear();
    try {
      this.db.close();
    } catch (e) {
      this.rl.error("store.close", "closing the store failed", { err: String(e) });
    }
  }

  // ---- internals ----

  private readonly stmts = new Map<string, Database.Statement>();
  /** A prepared statement, prepared once per database (bound, so the store's helpers can take it as it is). */
  private readonly stmt = (sql: string): Database.Statement => {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  };

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.commit();
    }, this.opts.flushIntervalMs);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private openOrRepair(): void {
    try {
      this.openDb();
    } catch (e) {
      this.quarantine(e, "at start");
      this.openDb();
    }
  }

  private openDb(): void {
    const db = new Database(this.opts.path);
    try {
      db.pragma("journal_mode = WAL");
      // FULL: a commit is on the medium when commit() returns, so a power cut loses at most the uncommitted batch.
      db.pragma("synchronous = FULL");
      this.synchronous = "FULL";
      // Checkpoints run after each commit (and are counted by the write meter), not at SQLite's discretion.
      db.pragma("wal_autocheckpoint = 0");
      db.pragma(`cache_size = ${-(this.opts.cacheSizeKiB ?? 1024)}`);
      const check = db.pragma("quick_check", { simple: true });
      if (check !== "ok") throw Object.assign(new Error(`integrity check failed: ${String(check)}`), { code: "SQLITE_CORRUPT" });
      db.exec(SCHEMA);
      if (this.maxPageCount !== undefined) db.pragma(`max_page_count = ${this.maxPageCount}`);
      this.meter.pageSize = db.pragma("page_size", { simple: true }) as number;
    } catch (e) {
      db.close();
      throw e;
    }
    this.db = db;
    this.stmts.clear();
    this.loadState();
  }

  private loadState(): void {
    this.openBatches.reopened();
    recoverOpenBatches(this.db, this.stmt, this.now, this.log);
    const q = this.stmt("SELECT COUNT(*) AS n, COALESCE(SUM(length(bytes)), 0) AS b, COALESCE(MAX(id), 0) AS m FROM frames").get() as {
      n: number;
      b: number;
      m: number;
    };
    this.queuedFrames = q.n;
    this.queuedBytes = q.b + q.n * ROW_OVERHEAD_BYTES;
    if (this.maxId > q.m) {
      // A replacement database continues the id sequence, so acks for frames of the old file cannot hit new ones.
      this.stmt("INSERT INTO sqlite_sequence (name, seq) VALUES ('frames', ?)").run(this.maxId);
    } else this.maxId = q.m;
    this.recent.reset(this.maxId + 1);
    for (const r of this.stmt("SELECT stream, next FROM seqs").all() as { stream: string; next: number }[]) {
      this.next.set(r.stream, Math.max(r.next, this.next.get(r.stream) ?? 0));
    }
    for (const r of this.stmt("SELECT reason, frames, samples FROM drops").all() as ({ reason: DropReason } & DropCount)[]) {
      const d = this.drops.get(r.reason);
      if (d) {
        d.frames = Math.max(d.frames, r.frames);
        d.samples = Math.max(d.samples, r.samples);
      }
    }
    for (const s of this.next.keys()) this.dirtySeqs.add(s);
  }

  private quarantine(e: unknown, when: string): void {
    const moved = quarantineDatabase(this.opts.path);
    this.quarantines++;
    this.log.error({ err: String(e), movedTo: moved }, `store database unreadable ${when}; moved aside and replaced by a new one`);
  }

  private repairWhileRunning(e: unknown): void {
    const lost = this.queuedFrames;
    try {
      this.db.close();
    } catch {
      // The file is already broken; closing is best effort.
    }
    this.quarantine(e, "while running");
    this.pinned.clear();
    this.pendingAcks.clear();
    const d = this.drops.get("quarantine")!;
    d.frames += lost;
    if (lost > 0) mergeGap(this.gaps, { stream: "_store", reason: "quarantine", frames: lost, samples: 0, tFirst: 0, tLast: 0 });
    this.openDb();
    this.schedule(); // the gap record goes out with the next grouped commit
    for (const l of this.listeners) l();
  }

  /** One transaction: admit pending frames (evicting by policy), delete acknowledged ones, persist counters. */
  private commitOnce(): void {
    const txGaps = new Map<string, GapRange>([...this.gaps].map(([k, g]) => [k, { ...g }]));
    const txDrops = new Map<DropReason, DropCount>([...this.drops].map(([k, d]) => [k, { ...d }]));
    let queuedBytes = this.queuedBytes;
    let queuedFrames = this.queuedFrames;
    let maxId = this.maxId;
    // How the open batches change once this transaction has committed (applied only then).
    let bundle: BundleChange | undefined;
    const insert = this.stmt(
      "INSERT INTO frames (stream, seq, priority, urgent, untrusted, codec, samples, t_first, t_last, created_ms, bytes) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
    );
    const drop = (f: DroppedFrame, reason: DropReason): void => {
      const d = txDrops.get(reason)!;
      d.frames++;
      d.samples += f.samples;
      mergeGap(txGaps, { stream: f.stream, reason, samples: f.samples, tFirst: f.tFirst, tLast: f.tLast });
    };
    // What the recent-frames cache learns once the transaction has committed.
    const inserted: StoredFrame[] = [];
    const evicted: number[] = [];
    const insertFrame = (f: Frame, createdMs: number): void => {
      const r = insert.run(f.stream, f.seq, f.priority, f.urgent ? 1 : 0, f.untrusted ? 1 : 0, f.codec, f.samples, f.tFirst, f.tLast, createdMs, f.bytes);
      maxId = Number(r.lastInsertRowid);
      inserted.push({ ...f, id: maxId, createdMs });
      queuedBytes += frameSize(f);
      queuedFrames++;
    };

    // A commit that only forgets acknowledged frames need not wait for the medium: if a power cut undoes it,
    // those frames are sent once more and the consumer drops the duplicates. Anything new waits for the fsync.
    const onlyAcks = this.pending.length === 0 && this.gaps.size === 0 && !this.openBatches.waiting;
    this.setSynchronous(onlyAcks ? "NORMAL" : "FULL");
    // Gap records below take their numbers inside the transaction: reserve ahead for them too.
    for (const g of this.gaps.values()) this.reservation.cover(g.stream, (this.next.get(g.stream) ?? this.reservation.bound(g.stream)) + this.gaps.size);
    this.reservation.persist();
    this.db.transaction(() => {
      const del = this.stmt("DELETE FROM frames WHERE id = ?");
      for (const id of this.pendingAcks.keys()) del.run(id);
      bundle = this.openBatches.write(this.stmt, this.pending.map((p) => p.frame));
      for (const p of this.pending) {
        const need = frameSize(p.frame);
        if (queuedBytes + need > this.opts.maxBytes) {
          const freed = this.evict(p.frame.priority, queuedBytes + need - this.opts.maxBytes, (r) => drop(r, "overflow"), evicted);
          queuedBytes -= freed.bytes;
          queuedFrames -= freed.frames;
        }
        if (queuedBytes + need > this.opts.maxBytes) drop(p.frame, "overflow");
        else insertFrame(p.frame, p.createdMs);
      }
      // Gap records are tiny and must not be refused, or the drop would become silent.
      for (const g of txGaps.values()) insertFrame(gapFrame(g, this.nextSeq(g.stream)), this.now());
      const upSeq = this.stmt("INSERT INTO seqs (stream, next) VALUES (?, ?) ON CONFLICT(stream) DO UPDATE SET next = excluded.next");
      for (const s of this.dirtySeqs) upSeq.run(s, this.next.get(s)!);
      const upDrop = this.stmt(
        "INSERT INTO drops (reason, frames, samples) VALUES (?, ?, ?) ON CONFLICT(reason) DO UPDATE SET frames = excluded.frames, samples = excluded.samples",
      );
      for (const [r, d] of txDrops) if (d.frames) upDrop.run(r, d.frames, d.samples);
    })();

    for (const [k, d] of txDrops) {
      const prev = this.drops.get(k)!;
      if (d.frames > prev.frames) this.rl.warn(`store.drop.${k}`, "store dropped frames; gap records sent upstream", { reason: k, frames: d.frames });
      this.drops.set(k, d);
    }
    this.pending = [];
    this.pendingBytes = 0;
    this.openBatches.committed(bundle);
    this.recent.forget(this.pendingAcks.keys());
    this.recent.forget(evicted);
    // A frame can be inserted and evicted by the same transaction (a more important one needed its room).
    const gone = new Set(evicted);
    this.recent.add(gone.size ? inserted.filter((f) => !gone.has(f.id)) : inserted);
    this.pendingAcks.clear();
    this.dirtySeqs.clear();
    this.gaps = new Map();
    this.queuedBytes = queuedBytes;
    this.queuedFrames = queuedFrames;
    this.maxId = maxId;
  }

  private evict(priority: PriorityLevel | number, bytes: number, onDrop: (f: DroppedFrame) => void, deleted: number[]): { bytes: number; frames: number } {
    return evictFrames(this.stmt, this.busy, priority, bytes, onDrop, deleted);
  }

  private synchronous: string | undefined;
  /** Switches the durability mode only when it changes (a pragma is a statement prepared and run each time). */
  private setSynchronous(mode: "NORMAL" | "FULL"): void {
    if (this.synchronous === mode) return;
    this.db.pragma(`synchronous = ${mode}`);
    this.synchronous = mode;
  }

  /**
   * The medium is full: free room by policy in a separate small transaction, and bound what waits in memory.
   * With P the most important pending priority: first committed frames less important than P go, then pending
   * ones less important than P, and only when neither exists the oldest committed frames of priority P.
   */
  private onDiskFull(): void {
    if (!this.diskFull) this.log.error("store medium full; dropping lowest-priority data to keep accepting events");
    this.diskFull = true;
    const top = Math.min(...this.pending.map((p) => p.frame.priority), Number.MAX_SAFE_INTEGER);
    // Less important data goes generously (it would go next time anyway); frames of the same class only as needed.
    const want = this.pendingBytes * 2 + 16 * 1024;
    const gaps = new Map(this.gaps);
    const dropped = { frames: 0, samples: 0 };
    const onDrop = (r: DroppedFrame): void => {
      dropped.frames++;
      dropped.samples += r.samples;
      mergeGap(gaps, { ...r, reason: "disk-full" });
    };
    const evicted: number[] = [];
    try {
      this.db.transaction(() => {
        let freed = this.evict(top + 1, want, onDrop, evicted);
        if (freed.bytes === 0 && !this.pending.some((p) => p.frame.priority > top)) freed = this.evict(top, this.pendingBytes, onDrop, evicted);
        this.queuedBytes -= freed.bytes;
        this.queuedFrames -= freed.frames;
      })();
    } catch (e) {
      this.rl.error("store.full.evict", "could not free room on a full medium", { err: String(e) });
      return this.boundPending();
    }
    this.recent.forget(evicted);
    this.gaps = gaps;
    const d = this.drops.get("disk-full")!;
    d.frames += dropped.frames;
    d.samples += dropped.samples;
    // Less important frames still waiting cannot be written either: they go before any event does.
    const keep: Pending[] = [];
    for (const p of this.pending) {
      if (p.frame.priority > top) this.dropPending(p);
      else keep.push(p);
    }
    this.pending = keep;
    this.checkpoint();
    this.boundPending();
  }

  private dropPending(p: Pending): void {
    // Its batch is closed all the same: its checkpointed parts must not come back as a frame after a crash.
    this.openBatches.closedWithoutFrame({ stream: p.frame.stream, seq: p.frame.seq });
    this.pendingBytes -= frameSize(p.frame);
    const d = this.drops.get("disk-full")!;
    d.frames++;
    d.samples += p.frame.samples;
    mergeGap(this.gaps, { stream: p.frame.stream, reason: "disk-full", samples: p.frame.samples, tFirst: p.frame.tFirst, tLast: p.frame.tLast });
  }

  private boundPending(): void {
    const cap = Math.max(this.opts.maxBytes * PENDING_SHARE_WHILE_FULL, 64 * 1024);
    if (this.pendingBytes <= cap) return;
    // Least important first, oldest first among equals; events go last of all.
    const order = this.pending.map((p, i) => ({ p, i })).sort((a, b) => b.p.frame.priority - a.p.frame.priority || a.i - b.i);
    const gone = new Set<number>();
    for (const { p, i } of order) {
      if (this.pendingBytes <= cap) break;
      gone.add(i);
      this.dropPending(p);
    }
    this.pending = this.pending.filter((_, i) => !gone.has(i));
  }

  /** Copies the WAL back into the database file; runs by itself every 30 s and at close. */
  checkpoint(): void {
    if (this.closed) return;
    this.lastCheckpointMs = this.now();
    try {
      const [r] = this.db.pragma("wal_checkpoint(PASSIVE)") as { busy: number; log: number; checkpointed: number }[];
      this.meter.record(r.log, r.checkpointed);
    } catch (e) {
      this.rl.warn("store.checkpoint", "WAL checkpoint failed; retried after the next commit", { err: String(e) });
    }
  }

  private oldestUnsentAge(): number | null {
    if (this.closed) return null;
    const oldestPending = this.pending.length ? this.pending[0].createdMs : null;
    const skip = this.pendingAcks.size;
    const rows = this.stmt("SELECT id, created_ms FROM frames ORDER BY id LIMIT ?").all(skip + 1) as { id: number; created_ms: number }[];
    const first = rows.find((r) => !this.pendingAcks.has(r.id));
    const t = first ? first.created_ms : oldestPending;
    return t === null ? null : Math.max(0, this.now() - t);
  }
}

function toStored(r: FrameRow): StoredFrame {
  return {
    id: r.id,
    createdMs: r.created_ms,
    stream: r.stream,
    seq: r.seq,
    priority: r.priority as PriorityLevel,
    urgent: r.urgent === 1,
    untrusted: r.untrusted === 1,
    codec: r.codec,
    samples: r.samples,
    tFirst: r.t_first,
    tLast: r.t_last,
    bytes: new Uint8Array(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength),
  };
}
