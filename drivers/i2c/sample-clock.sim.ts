// The output data rate of an emulated accelerometer: which samples have been taken by a given time.
import { motorVibration, type VibrationSignal } from "./signals.js";

export class SampleClock {
  private startMs = 0;
  private taken = 0;
  rateHz = 0;
  running = false;

  start(nowMs: number, rateHz: number): void {
    this.startMs = nowMs;
    this.rateHz = rateHz;
    this.taken = 0;
    this.running = true;
  }

  stop(): void {
    this.running = false;
  }

  /**
   * Times (seconds since the epoch of the clock) of samples taken since the last call; at most `keep` of the
   * newest are returned, with the number of older ones skipped (they could only have overflowed the FIFO anyway).
   */
  due(nowMs: number, keep: number): { times: number[]; skipped: number } {
    if (!this.running) return { times: [], skipped: 0 };
    const total = Math.floor(((nowMs - this.startMs) * this.rateHz) / 1000);
    const fresh = total - this.taken;
    const skipped = Math.max(0, fresh - keep);
    const times: number[] = [];
    for (let i = this.taken + skipped; i < total; i++) times.push((this.startMs + (i * 1000) / this.rateHz) / 1000);
    this.taken = total;
    return { times, skipped };
  }
}

/** Shared by the accelerometer emulators: a programmable signal, default a motor with a bearing fault. */
export interface VibrationSource {
  setSignal(signal: VibrationSignal): void;
}

export const defaultVibration = (): VibrationSignal => motorVibration();

/** g to counts, saturating at the converter's limits. */
export function toCounts(g: number, gPerCount: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.round(g / gPerCount)));
}
