// Routes records from sources through each stream's processor chain to the sink, containing every failure to the
// stream where it happened: a throwing processor or a source that cannot start never stops the other streams.
import type { Logger } from "../log.js";
import { RateLimitedLog } from "../log.js";
import type { Emit, PipelineRecord, StreamInfo } from "../model.js";
import type { Processor, Sink, Source } from "../pipeline/stages.js";
import { StatsBoard } from "./stream-stats.js";

export interface PipelineParts {
  sources: Source[];
  /** Processor chain per source stream name, in config order. */
  processors: Map<string, Processor[]>;
  sink: Sink;
  log: Logger;
  /** True while the wall clock is trusted; records emitted otherwise are flagged untrusted. */
  clockTrusted: () => boolean;
  now: () => number;
  /** Back-off for a source whose start() failed. */
  restartDelayMs?: (attempt: number) => number;
}

export class Pipeline {
  readonly stats = new StatsBoard();
  private readonly errors: RateLimitedLog;
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private stopped = false;
  private readonly started = new Set<Source>();

  constructor(private readonly parts: PipelineParts) {
    this.errors = new RateLimitedLog(parts.log);
  }

  /** Every stream this pipeline produces: the sources' and the processors' derived ones. */
  streams(): StreamInfo[] {
    const out = this.parts.sources.flatMap((s) => s.streams);
    for (const chain of this.parts.processors.values()) for (const p of chain) out.push(...p.streams);
    return out;
  }

  async start(): Promise<void> {
    await Promise.all(this.parts.sources.map((s) => this.startSource(s, 0)));
  }

  private async startSource(source: Source, attempt: number): Promise<void> {
    if (this.stopped) return;
    try {
      await source.start((r) => this.accept(r));
      this.started.add(source);
      if (attempt > 0) this.parts.log.info({ source: source.id, attempt }, "source started after retry");
    } catch (e) {
      const delay = this.parts.restartDelayMs?.(attempt) ?? Math.min(60_000, 1000 * 2 ** attempt);
      this.errors.error(`start:${source.id}`, "source failed to start; retrying", { source: source.id, err: (e as Error).message, retryInMs: delay });
      const timer = setTimeout(() => {
        this.retryTimers.delete(timer);
        void this.startSource(source, attempt + 1);
      }, delay);
      timer.unref();
      this.retryTimers.add(timer);
    }
  }

  /** Entry point for records from sources (and from tests). */
  accept(record: PipelineRecord): void {
    if (this.stopped) return;
    if (!this.parts.clockTrusted() && record.untrusted === undefined) record.untrusted = true;
    this.runChain(record, this.parts.processors.get(record.stream) ?? [], 0);
  }

  /** Calls every processor's timer hook; derived records continue down their chain. */
  tick(): void {
    const now = this.parts.now();
    for (const [stream, chain] of this.parts.processors) {
      chain.forEach((p, i) => {
        if (!p.tick) return;
        try {
          p.tick(now, (r) => this.continueAfter(r, stream, chain, i));
        } catch (e) {
          this.stats.get(stream).errors++;
          this.errors.error(`tick:${p.id}`, "processor tick failed", { processor: p.id, err: (e as Error).message });
        }
      });
    }
  }

  private continueAfter(record: PipelineRecord, stream: string, chain: Processor[], index: number): void {
    if (!this.parts.clockTrusted() && record.untrusted === undefined) record.untrusted = true;
    if (record.stream === stream) this.runChain(record, chain, index + 1);
    else this.deliver(record);
  }

  private runChain(record: PipelineRecord, chain: Processor[], index: number): void {
    if (index >= chain.length) return this.deliver(record);
    const p = chain[index];
    const emit: Emit = (r) => this.continueAfter(r, record.stream, chain, index);
    try {
      p.process(record, emit);
    } catch (e) {
      // The processor failed on this record: the record still goes on, so nothing is lost.
      this.stats.get(record.stream).errors++;
      this.errors.error(`process:${p.id}`, "processor failed; record passed on unprocessed", { processor: p.id, err: (e as Error).message });
      this.runChain(record, chain, index + 1);
    }
  }

  private deliver(record: PipelineRecord): void {
    this.stats.count(record);
    try {
      this.parts.sink.write(record);
    } catch (e) {
      this.stats.get(record.stream).errors++;
      this.errors.error(`sink:${record.stream}`, "sink rejected a record", { stream: record.stream, err: (e as Error).message });
    }
  }

  /** Stops the sources (so nothing new arrives), then closes the processors. The sink is the caller's to flush. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.retryTimers) clearTimeout(t);
    this.retryTimers.clear();
    await Promise.all(
      [...this.started].map(async (s) => {
        try {
          await s.stop();
        } catch (e) {
          this.parts.log.warn({ source: s.id, err: (e as Error).message }, "source did not stop cleanly");
        }
      }),
    );
    for (const chain of this.parts.processors.values()) for (const p of chain) p.close?.();
  }

  sourceStatus() {
    return this.parts.sources.map((s) => ({ id: s.id, ...s.status() }));
  }
}
