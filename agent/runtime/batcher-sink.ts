// The pipeline's sink: one codec batcher per stream in front of the durable store. Frames are handed to the store as
// they close; open batches are closed by age on every flush tick, and all of them on shutdown.
import type { PipelineRecord, StreamInfo } from "../model.js";
import type { Frame, OpenPart } from "../pipeline/frame.js";
import type { Sink } from "../pipeline/stages.js";

export interface FrameBatcher {
  add(record: PipelineRecord): Frame[];
  flush(now: number, force?: boolean): Frame[];
  /** Makes the open batches durable with the next commit: closes short-lived ones, gives parts of the others. */
  checkpoint?(horizonMs: number): { frames: Frame[]; parts: OpenPart[] };
}

export interface FrameSink {
  nextSeq(stream: string): number;
  put(frame: Frame): void;
  commit(): void;
  /** Persists parts of open batches with the next commit; a closed frame with the same stream and seq replaces them. */
  checkpointOpen?(parts: OpenPart[]): void;
}

export type BatcherFactory = (stream: StreamInfo, nextSeq: () => number) => FrameBatcher;

export class BatcherSink implements Sink {
  private readonly batchers = new Map<string, FrameBatcher>();
  private readonly infos = new Map<string, StreamInfo>();
  /** First sequence number this process gave each stream: frames from this boot are those at or above it. */
  readonly firstSeqThisRun = new Map<string, number>();
  framesOut = 0;
  bytesOut = 0;
  readonly bytesByStream = new Map<string, number>();
  /** Samples per stream that left the batcher in closed frames (the rest are still being batched). */
  readonly framedSamples = new Map<string, number>();

  constructor(
    streams: StreamInfo[],
    private readonly makeBatcher: BatcherFactory,
    private readonly store: FrameSink,
    private readonly now: () => number,
    private readonly onFrame?: (frame: Frame) => void,
    /** Open batches are checkpointed with every tick that is at most this far apart; 0: never. */
    private readonly checkpointEveryMs = 0,
  ) {
    for (const s of streams) this.infos.set(s.name, s);
  }

  write(record: PipelineRecord): void {
    this.put(this.batcher(record.stream).add(record));
  }

  /**
   * Closes frames that reached their age limit (or all, when forced), hands the store a checkpoint of what is still
   * being batched, and commits: after this, a power cut loses nothing accepted before it.
   */
  tick(force = false): void {
    const now = this.now();
    for (const b of this.batchers.values()) {
      this.put(b.flush(now, force));
      if (this.checkpointEveryMs > 0 && !force && b.checkpoint && this.store.checkpointOpen) {
        const c = b.checkpoint(this.checkpointEveryMs);
        this.put(c.frames);
        if (c.parts.length) this.store.checkpointOpen(c.parts);
      }
    }
    this.store.commit();
  }

  async flush(): Promise<void> {
    this.tick(true);
  }

  async close(): Promise<void> {
    this.tick(true);
  }

  private batcher(stream: string): FrameBatcher {
    let b = this.batchers.get(stream);
    if (b) return b;
    const info = this.infos.get(stream);
    if (!info) throw new Error(`record for undeclared stream "${stream}"`);
    b = this.makeBatcher(info, () => {
      const seq = this.store.nextSeq(stream);
      if (!this.firstSeqThisRun.has(stream)) this.firstSeqThisRun.set(stream, seq);
      return seq;
    });
    this.batchers.set(stream, b);
    return b;
  }

  private put(frames: Frame[]): void {
    for (const f of frames) {
      this.store.put(f);
      this.framesOut++;
      this.bytesOut += f.bytes.length;
      this.bytesByStream.set(f.stream, (this.bytesByStream.get(f.stream) ?? 0) + f.bytes.length);
      this.framedSamples.set(f.stream, (this.framedSamples.get(f.stream) ?? 0) + f.samples);
      this.onFrame?.(f);
    }
  }
}
