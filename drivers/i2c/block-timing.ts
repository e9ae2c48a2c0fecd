// Timestamps for FIFO blocks: samples are spaced by the output data rate; the read time anchors them.
import type { SampleBlock } from "../types.js";
import type { AccelStats } from "./driver.js";

/**
 * Consecutive blocks continue each other's timeline (t0 = end of the previous block), so the nominal rate is kept
 * exactly. The last sample of a block was taken at most about one period before the read, so when continuity
 * drifts from that (oscillator tolerance, scheduling) by more than `slipMs`, the timeline is re-anchored on the
 * read time. A FIFO overflow always re-anchors and marks the gap.
 */
export class BlockTimeline {
  private next: number | undefined;
  private lastRead: number | undefined;
  private firstRead: number | undefined;
  private delivered = 0;
  private overflows = 0;
  private lost = 0;

  constructor(
    readonly rateHz: number,
    private readonly slipMs = Math.max(20, 8_000 / rateHz),
  ) {}

  /** Starts a new timeline (after init): the FIFO began filling at `tStart`. */
  reset(tStart?: number): void {
    this.next = undefined;
    this.lastRead = tStart;
  }

  /** Builds a block from per-axis counts read at `tRead`; `overflow` says the FIFO lost samples before them. */
  block(counts: Int32Array[], tRead: number, overflow: boolean): SampleBlock {
    const n = counts[0]?.length ?? 0;
    const period = 1000 / this.rateHz;
    const anchored = tRead - (n - 1) * period;
    let t0 = this.next ?? anchored;
    let gapBefore: SampleBlock["gapBefore"];
    if (overflow) {
      this.overflows++;
      // What the chip produced since the last drain, less what it still held: a lower bound of the loss.
      const expected = this.lastRead === undefined ? n : Math.round(((tRead - this.lastRead) * this.rateHz) / 1000);
      const lostSamples = Math.max(0, expected - n);
      this.lost += lostSamples;
      gapBefore = { lostSamples, reason: "fifo-overflow" };
      t0 = anchored;
    } else if (Math.abs(t0 + (n - 1) * period - tRead) > this.slipMs) {
      t0 = anchored;
    }
    this.firstRead ??= tRead - n * period;
    this.lastRead = tRead;
    this.next = t0 + n * period;
    this.delivered += n;
    const out: SampleBlock = { t0, rateHz: this.rateHz, counts };
    if (gapBefore) out.gapBefore = gapBefore;
    return out;
  }

  /** Marks a loss found without samples to attach it to (e.g. a FIFO reset): the next block carries it. */
  noteGap(): void {
    this.next = undefined;
  }

  stats(tNow: number): AccelStats {
    const elapsed = this.firstRead === undefined ? 0 : (tNow - this.firstRead) / 1000;
    return {
      odrHz: this.rateHz,
      achievedHz: elapsed > 0 ? this.delivered / elapsed : 0,
      samples: this.delivered,
      overflows: this.overflows,
      lostSamples: this.lost,
    };
  }
}
