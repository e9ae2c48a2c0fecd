// Counter-stream helpers shared by the fault tests: generate sample i = value i, and track which arrived.
import { decodeFrame } from "../../agent/codec/index.js";
import { StreamBatcher } from "../../agent/codec/batcher.js";
import { codecOptions } from "../../config/schema/codec.js";
import { Priority, type StreamInfo } from "../../agent/model.js";
import type { FrameStore } from "../../agent/store/frame-store-types.js";
import { GAP_CODEC, decodeGapRecord, type GapRecord } from "../../agent/store/gap-record.js";
import type { Received, Subscriber } from "./subscriber.js";

export const COUNTER: StreamInfo = {
  name: "counter",
  kind: "periodic",
  channels: [{ name: "n", unit: "1", scale: 1, offset: 0 }],
  priority: Priority.periodic,
};

/** Indices of the counter samples received, decoded from the real wire format; gap records kept aside. */
export class ArrivedSamples {
  readonly indices = new Set<number>();
  readonly gaps: GapRecord[] = [];
  private seen = 0;

  constructor(private readonly sub: Subscriber) {}

  update(): void {
    const frames: Received[] = this.sub.frames;
    for (; this.seen < frames.length; this.seen++) {
      const f = frames[this.seen];
      if (f.codec === GAP_CODEC) {
        const g = decodeGapRecord(f.payload);
        if (g) this.gaps.push(g);
        continue;
      }
      if (f.stream !== COUNTER.name) continue;
      const d = decodeFrame(f.payload);
      for (const v of d.channels[0].counts) this.indices.add(v);
    }
  }

  /** Resolves once every index in [from, to] has arrived. */
  async all(from: number, to: number): Promise<void> {
    await this.sub.until(() => {
      this.update();
      for (let i = from; i <= to; i++) if (!this.indices.has(i)) return false;
      return true;
    });
  }
}

/** Feeds counter samples through the real batcher into a store, one call per "tick" of samples. */
export class CounterFeed {
  next = 0;
  private readonly batcher: StreamBatcher;

  constructor(
    private readonly store: FrameStore,
    opts: { batch: number; maxAgeMs?: number },
    private readonly t0 = 1_700_000_000_000,
  ) {
    this.batcher = new StreamBatcher(COUNTER, codecOptions.parse({ batch: opts.batch, maxAgeMs: opts.maxAgeMs ?? 1000 }), () => store.nextSeq(COUNTER.name));
  }

  push(n: number): void {
    for (let k = 0; k < n; k++, this.next++) {
      for (const f of this.batcher.add({ kind: "sample", stream: COUNTER.name, t: this.t0 + this.next * 10, values: [this.next] })) this.store.put(f);
    }
  }

  /** Closes the open batch (as the runtime does on its flush tick). */
  flush(): void {
    for (const f of this.batcher.flush(0, true)) this.store.put(f);
  }
}
