// Cuts a stream of sample blocks into analysis windows of fixed length and hop, keeping the blocks each window
// came from so that a snapshot can pass them on unchanged. A gap or a rate change starts over: windows never
// straddle lost samples.
import type { BlockRecord } from "../model.js";

export interface Window {
  /** Epoch ms of the first sample. */
  t0: number;
  rateHz: number;
  /** One array per analysed channel, physical units. */
  axes: Float64Array[];
  /** The blocks that overlap this window, in order. */
  blocks: BlockRecord[];
}

interface HeldBlock {
  record: BlockRecord;
  /** Sample index (since the last restart) of the block's first sample, and one past its last. */
  start: number;
  end: number;
}

export class WindowBuffer {
  private buf: Float64Array[] = [];
  private fill = 0;
  /** Sample index of buf[0]. */
  private start = 0;
  private total = 0;
  private rateHz = 0;
  private held: HeldBlock[] = [];

  constructor(
    private readonly channels: number[],
    private readonly scales: { scale: number; offset: number }[],
    private readonly windowS: number,
    private readonly overlap: number,
  ) {}

  get length(): number {
    return Math.max(8, Math.round(this.windowS * this.rateHz));
  }

  /** Adds a block; returns the windows it completed (usually zero or one). */
  push(record: BlockRecord): Window[] {
    if (record.gapBefore || record.rateHz !== this.rateHz) this.restart(record.rateHz);
    const n = record.channels[0]?.length ?? 0;
    const length = this.length;
    const hop = Math.max(1, Math.round(length * (1 - this.overlap)));
    this.held.push({ record, start: this.total, end: this.total + n });
    this.total += n;
    const out: Window[] = [];
    let i = 0;
    while (i < n) {
      const take = Math.min(n - i, length - this.fill);
      this.channels.forEach((ch, a) => {
        const src = record.channels[ch];
        const dst = this.buf[a];
        const { scale, offset } = this.scales[a];
        for (let j = 0; j < take; j++) dst[this.fill + j] = src[i + j] * scale + offset;
      });
      this.fill += take;
      i += take;
      if (this.fill === length) {
        out.push(this.emitWindow(length));
        for (const b of this.buf) b.copyWithin(0, hop);
        this.fill -= hop;
        this.start += hop;
        this.held = this.held.filter((h) => h.end > this.start);
      }
    }
    return out;
  }

  private emitWindow(length: number): Window {
    const first = this.held.find((h) => h.end > this.start)!;
    const t0 = first.record.t0 + ((this.start - first.start) * 1000) / this.rateHz;
    const end = this.start + length;
    return {
      t0,
      rateHz: this.rateHz,
      axes: this.buf.map((b) => b.slice(0, length)),
      blocks: this.held.filter((h) => h.start < end && h.end > this.start).map((h) => h.record),
    };
  }

  private restart(rateHz: number): void {
    this.rateHz = rateHz;
    this.buf = this.channels.map(() => new Float64Array(this.length));
    this.fill = 0;
    this.start = 0;
    this.total = 0;
    this.held = [];
  }
}
