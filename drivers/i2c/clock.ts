// Time as the drivers see it: a millisecond clock and a way to wait (conversion times, FIFO fill).
import type { NowMs } from "../types.js";

export interface DriverClock {
  now: NowMs;
  sleep(ms: number): Promise<void>;
}

export function systemClock(now: NowMs = () => performance.timeOrigin + performance.now()): DriverClock {
  return { now, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))) };
}

/**
 * Simulated time for tests and benchmarks: sleeping advances the clock at once, so a driver waiting for a
 * conversion and the emulator checking the conversion time agree without real waiting.
 */
export class VirtualClock implements DriverClock {
  constructor(private t = 1_700_000_000_000) {}
  readonly now = (): number => this.t;
  async sleep(ms: number): Promise<void> {
    this.t += Math.max(0, ms);
  }
  advance(ms: number): void {
    this.t += ms;
  }
}
