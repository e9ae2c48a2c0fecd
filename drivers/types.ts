// The vocabulary drivers speak. It is the lowest layer: nothing here knows of the agent, the codec or MQTT.

/** How a channel's integer counts map to a physical value: physical = count * scale + offset. */
export interface ChannelInfo {
  name: string;
  unit: string;
  scale: number;
  offset: number;
}

/** A clock the driver stamps with: epoch milliseconds that never go backwards. */
export type NowMs = () => number;

/** One periodic reading: one integer count per channel, in the order of the source's channels. */
export interface SampleReading {
  t: number;
  counts: number[];
}

/**
 * A block of samples at a fixed rate (accelerometer FIFO reads): one Int32Array per channel, all the same length.
 * `gapBefore` marks that samples were lost immediately before this block (FIFO overflow); blocks are never
 * silently stitched across a gap.
 */
export interface SampleBlock {
  t0: number;
  rateHz: number;
  counts: Int32Array[];
  gapBefore?: { lostSamples?: number; reason: string };
}

/** A fault a driver reports; the runtime counts and retries by kind. */
export type DriverFaultKind = "nack" | "crc" | "id-mismatch" | "timeout" | "bus" | "not-ready" | "overflow" | "protocol";

export class DriverError extends Error {
  constructor(
    readonly kind: DriverFaultKind,
    message: string,
    readonly transient = true,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "DriverError";
  }
}
