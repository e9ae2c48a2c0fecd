// Timestamps for a gateway without a real-time clock.
//
// The agent stamps with a monotonic clock anchored to wall time, so a wall-clock step (NTP sync, a manual change)
// never bends the time axis between two samples. Before the wall clock is trusted (no sync yet), everything stays on
// the boot anchor, so every pre-sync stamp is off by the same offset; once sync is seen that offset is known and the
// stamps are corrected by adding it (`restamp`). After sync, a step re-anchors; a backward step holds timestamps at
// the last value until wall time catches up, so they never go backwards.
import { existsSync } from "node:fs";
import { EventEmitter } from "node:events";

export interface ClockSources {
  /** Wall clock, epoch ms. */
  wall: () => number;
  /** Monotonic clock, ms from an arbitrary origin. */
  mono: () => number;
  /** True once the wall clock is known to be synchronised. */
  isSynced: () => boolean;
}

export interface ClockOptions {
  trustWallClock: boolean;
  stepThresholdMs: number;
}

export type ClockChange =
  | { kind: "sync"; offsetMs: number; at: number }
  | { kind: "step"; stepMs: number; at: number };

export function systemClockSources(syncFlagFile: string): ClockSources {
  return {
    wall: Date.now,
    mono: () => Number(process.hrtime.bigint()) / 1e6,
    isSynced: () => existsSync(syncFlagFile),
  };
}

export class AgentClock extends EventEmitter {
  private anchorWall: number;
  private anchorMono: number;
  private last = -Infinity;
  private isTrusted: boolean;
  /** Correction for stamps taken before sync in this process; undefined until sync. */
  private syncOffset: number | undefined;

  constructor(
    private readonly src: ClockSources,
    private readonly opts: ClockOptions,
  ) {
    super();
    this.anchorWall = src.wall();
    this.anchorMono = src.mono();
    this.isTrusted = opts.trustWallClock || src.isSynced();
    if (this.isTrusted) this.syncOffset = 0;
  }

  get trusted(): boolean {
    return this.isTrusted;
  }

  /** Epoch ms; never less than a value returned before. */
  now = (): number => {
    const t = this.anchorWall + (this.src.mono() - this.anchorMono);
    this.last = t > this.last ? t : this.last;
    return Math.floor(this.last);
  };

  /** Corrects a stamp taken in this process before the clock was trusted; undefined while still untrusted. */
  restamp(t: number): number | undefined {
    return this.syncOffset === undefined ? undefined : t + this.syncOffset;
  }

  get offsetAtSync(): number | undefined {
    return this.syncOffset;
  }

  /** Compares wall and anchored time; call periodically. Returns (and emits "change") what it detected. */
  check(): ClockChange | undefined {
    const predicted = this.anchorWall + (this.src.mono() - this.anchorMono);
    const wall = this.src.wall();
    if (!this.isTrusted) {
      if (!this.src.isSynced()) return undefined;
      this.syncOffset = wall - predicted;
      this.isTrusted = true;
      this.reanchor(wall);
      // The jump to true time is not a backward step of the data: pre-sync stamps get restamped.
      this.last = -Infinity;
      return this.report({ kind: "sync", offsetMs: Math.round(this.syncOffset), at: this.now() });
    }
    const diff = wall - predicted;
    if (Math.abs(diff) <= this.opts.stepThresholdMs) return undefined;
    this.reanchor(wall);
    return this.report({ kind: "step", stepMs: Math.round(diff), at: this.now() });
  }

  private reanchor(wall: number): void {
    this.anchorWall = wall;
    this.anchorMono = this.src.mono();
  }

  private report(c: ClockChange): ClockChange {
    this.emit("change", c);
    return c;
  }
}
