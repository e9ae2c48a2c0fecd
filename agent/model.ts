// Records that flow through the pipeline, from sources through processors to the batcher.
import type { ChannelInfo } from "../drivers/types.js";

export type { ChannelInfo };

/** Lower number = more important. Events and alarms are never dropped while lower-priority data remains. */
export const Priority = { event: 0, alarm: 0, status: 1, features: 2, periodic: 3, waveform: 4 } as const;
export type PriorityLevel = (typeof Priority)[keyof typeof Priority];

export type StreamKind = "periodic" | "waveform" | "event";

export interface StreamInfo {
  /** Unique stream name from the config, e.g. "coldroom-1/temperature". */
  name: string;
  kind: StreamKind;
  channels: ChannelInfo[];
  priority: PriorityLevel;
  /** Optional cold room / machine this stream belongs to (links door state to temperature alarms). */
  group?: string;
}

/** Common to every record: set by the clock. `untrusted` means taken before the wall clock was synchronised. */
interface Stamped {
  stream: string;
  untrusted?: boolean;
}

export interface SampleRecord extends Stamped {
  kind: "sample";
  t: number;
  /** Integer counts, one per channel of the stream (see ChannelInfo.scale). */
  values: number[];
}

export interface BlockRecord extends Stamped {
  kind: "block";
  t0: number;
  rateHz: number;
  channels: Int32Array[];
  gapBefore?: { lostSamples?: number; reason: string };
}

export type EventSeverity = "info" | "warning" | "critical";

export interface EventRecord extends Stamped {
  kind: "event";
  t: number;
  /** e.g. "door.open", "door.close", "alarm.raise", "alarm.clear", "gap", "status", "features", "clock.sync" */
  type: string;
  severity?: EventSeverity;
  data: Record<string, unknown>;
}

export type PipelineRecord = SampleRecord | BlockRecord | EventRecord;

export type Emit = (record: PipelineRecord) => void;
