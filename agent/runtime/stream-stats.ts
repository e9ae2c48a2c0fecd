// Live per-stream counters for the terminal view and the status message: cheap to update on every record.
import type { PipelineRecord } from "../model.js";

export interface StreamStats {
  records: number;
  samples: number;
  events: number;
  lastT?: number;
  /** Latest counts (sample) or latest event type. */
  latest?: number[] | string;
  errors: number;
}

export class StatsBoard {
  readonly streams = new Map<string, StreamStats>();

  get(stream: string): StreamStats {
    let s = this.streams.get(stream);
    if (!s) this.streams.set(stream, (s = { records: 0, samples: 0, events: 0, errors: 0 }));
    return s;
  }

  count(r: PipelineRecord): void {
    const s = this.get(r.stream);
    s.records++;
    if (r.kind === "sample") {
      s.samples++;
      s.latest = r.values;
      s.lastT = r.t;
    } else if (r.kind === "block") {
      s.samples += r.channels[0]?.length ?? 0;
      s.lastT = r.t0;
    } else {
      s.events++;
      s.latest = r.type;
      s.lastT = r.t;
    }
  }
}
