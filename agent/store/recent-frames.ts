// The frames of the last few commits, kept in memory so the uplink's live path does not read back from SQLite what
// it has just written (that SELECT and the copies of its blobs were a measurable part of a live second). It answers
// only for ids it fully covers: every frame still stored with an id from `from` on is held here.
import type { StoredFrame } from "./frame-store-types.js";

export class RecentFrames {
  private frames: StoredFrame[] = [];
  private bytes = 0;
  /** Every stored frame with an id >= from is in `frames`. */
  private from: number;

  constructor(
    private readonly maxFrames: number,
    private readonly maxBytes: number,
    nextId: number,
  ) {
    this.from = nextId;
  }

  /** Forgets everything; frames from `nextId` on will be added as they are committed. */
  reset(nextId: number): void {
    this.frames = [];
    this.bytes = 0;
    this.from = nextId;
  }

  /** Whether a read of the frames after `afterId` can be answered from here. */
  covers(afterId: number): boolean {
    return afterId + 1 >= this.from;
  }

  /** Frames just committed, in id order, all above those held. The oldest go beyond either bound. */
  add(frames: StoredFrame[]): void {
    for (const f of frames) {
      this.frames.push(f);
      this.bytes += f.bytes.byteLength;
    }
    let drop = 0;
    while (drop < this.frames.length && (this.frames.length - drop > this.maxFrames || this.bytes > this.maxBytes)) {
      this.bytes -= this.frames[drop].bytes.byteLength;
      this.from = this.frames[drop].id + 1;
      drop++;
    }
    if (drop) this.frames = this.frames.slice(drop);
  }

  /** Frames deleted from the store (acknowledged or evicted). */
  forget(ids: Iterable<number>): void {
    let gone: Set<number> | undefined;
    for (const id of ids) if (id >= this.from) (gone ??= new Set()).add(id);
    if (!gone) return;
    this.frames = this.frames.filter((f) => {
      if (!gone.has(f.id)) return true;
      this.bytes -= f.bytes.byteLength;
      return false;
    });
  }

  /** A held frame's bytes were rewritten in the store (a restamp): it is trusted now. */
  replace(id: number, bytes: Uint8Array): void {
    const i = this.frames.findIndex((f) => f.id === id);
    if (i < 0) return;
    this.bytes += bytes.byteLength - this.frames[i].bytes.byteLength;
    this.frames[i] = { ...this.frames[i], bytes, untrusted: false };
  }

  /** Up to `limit` frames with afterId < id <= uptoId, in id order, leaving out those `skip` names. */
  read(afterId: number, uptoId: number, limit: number, skip: (id: number) => boolean): StoredFrame[] {
    const out: StoredFrame[] = [];
    for (const f of this.frames) {
      if (out.length === limit || f.id > uptoId) break;
      if (f.id > afterId && !skip(f.id)) out.push(f);
    }
    return out;
  }
}
