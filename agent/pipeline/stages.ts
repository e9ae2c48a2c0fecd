// The three kinds of stage. Each is small so that drivers, analytics, codec, store and uplink plug in independently.
import type { Emit, PipelineRecord, StreamInfo } from "../model.js";

export interface SourceStatus {
  state: "starting" | "online" | "degraded" | "offline" | "stopped";
  detail?: string;
  /** Counters by fault kind (nack, crc, timeout, ...). */
  faults: Record<string, number>;
  samples: number;
}

/** Produces records for one or more streams (a sensor, a door contact, a Modbus device). */
export interface Source {
  readonly id: string;
  readonly streams: StreamInfo[];
  start(emit: Emit): Promise<void>;
  stop(): Promise<void>;
  status(): SourceStatus;
}

/**
 * Transforms records of the streams it is attached to. It may pass a record on, drop it, or emit derived records
 * (features, alarms) for other streams it declares in `streams`.
 */
export interface Processor {
  readonly id: string;
  /** Streams this processor creates (alarm and feature streams); may be empty. */
  readonly streams: StreamInfo[];
  process(record: PipelineRecord, emit: Emit): void;
  /** Called about once a second with the current time, for timers (door-open-too-long, alarm delays). */
  tick?(now: number, emit: Emit): void;
  close?(): void;
}

/** The end of the pipeline: the batcher/store, or a test collector. */
export interface Sink {
  write(record: PipelineRecord): void;
  /** Persist everything accepted so far (on shutdown and per flush interval). */
  flush(): Promise<void>;
  close(): Promise<void>;
}
