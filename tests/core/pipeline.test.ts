// One failing stream never stops the others: a throwing processor, a source that cannot start, a sink that rejects.
import { describe, expect, it } from "vitest";
import { silentLogger } from "../../agent/log.js";
import { Priority, type Emit, type PipelineRecord, type StreamInfo } from "../../agent/model.js";
import type { Processor, Sink, Source } from "../../agent/pipeline/stages.js";
import { Pipeline } from "../../agent/runtime/pipeline.js";

const info = (name: string): StreamInfo => ({ name, kind: "periodic", channels: [{ name: "v", unit: "", scale: 1, offset: 0 }], priority: Priority.periodic });

class ManualSource implements Source {
  emit?: Emit;
  starts = 0;
  constructor(
    readonly id: string,
    readonly streams: StreamInfo[],
    private failStarts = 0,
  ) {}
  async start(emit: Emit) {
    this.starts++;
    if (this.failStarts-- > 0) throw new Error("bus not there yet");
    this.emit = emit;
  }
  async stop() {}
  status() {
    return { state: "online" as const, faults: {}, samples: 0 };
  }
  push(t: number) {
    this.emit!({ kind: "sample", stream: this.streams[0].name, t, values: [t] });
  }
}

class Collect implements Sink {
  readonly records: PipelineRecord[] = [];
  write(r: PipelineRecord) {
    if (r.stream === "bad/sink") throw new Error("sink refuses");
    this.records.push(r);
  }
  async flush() {}
  async close() {}
}

const throwing = (everyOther: boolean): Processor => {
  let n = 0;
  return {
    id: "flaky",
    streams: [],
    process(r, emit) {
      if (!everyOther || n++ % 2 === 0) throw new Error("bug in a processor");
      emit(r);
    },
  };
};

const doubling: Processor = {
  id: "double",
  streams: [info("a/derived")],
  process(r, emit) {
    emit(r);
    if (r.kind === "sample") emit({ ...r, stream: "a/derived", values: [r.values[0] * 2] });
  },
};

describe("Pipeline containment", () => {
  it("passes a record on unprocessed when a processor throws, and keeps the other streams going", async () => {
    const a = new ManualSource("a", [info("a/t")]);
    const b = new ManualSource("b", [info("b/t")]);
    const sink = new Collect();
    const p = new Pipeline({
      sources: [a, b],
      processors: new Map([
        ["a/t", [throwing(true), doubling]],
        ["b/t", [throwing(false)]],
      ]),
      sink,
      log: silentLogger(),
      clockTrusted: () => true,
      now: () => 0,
    });
    await p.start();
    for (let t = 1; t <= 4; t++) {
      a.push(t);
      b.push(t);
    }
    const of = (s: string) => sink.records.filter((r) => r.stream === s).map((r) => (r.kind === "sample" ? r.values[0] : NaN));
    expect(of("b/t")).toEqual([1, 2, 3, 4]); // every record survives a processor that always throws
    expect(of("a/t")).toEqual([1, 2, 3, 4]);
    expect(of("a/derived")).toEqual([2, 4, 6, 8]); // the chain after the failing processor still runs
    expect(p.stats.get("b/t").errors).toBe(4);
    await p.stop();
  });

  it("retries a source that cannot start while the others run", async () => {
    const late = new ManualSource("late", [info("late/t")], 2);
    const ok = new ManualSource("ok", [info("ok/t")]);
    const sink = new Collect();
    const p = new Pipeline({
      sources: [late, ok],
      processors: new Map(),
      sink,
      log: silentLogger(),
      clockTrusted: () => true,
      now: () => 0,
      restartDelayMs: () => 1,
    });
    await p.start();
    ok.push(1);
    expect(sink.records).toHaveLength(1);
    for (let i = 0; i < 10_000 && late.starts < 3; i++) await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    late.push(2);
    expect(sink.records.map((r) => r.stream)).toEqual(["ok/t", "late/t"]);
    await p.stop();
  });

  it("counts a record the sink rejects without stopping", async () => {
    const bad = new ManualSource("bad", [info("bad/sink")]);
    const good = new ManualSource("good", [info("good/t")]);
    const sink = new Collect();
    const p = new Pipeline({ sources: [bad, good], processors: new Map(), sink, log: silentLogger(), clockTrusted: () => true, now: () => 0 });
    await p.start();
    bad.push(1);
    good.push(1);
    expect(sink.records.map((r) => r.stream)).toEqual(["good/t"]);
    expect(p.stats.get("bad/sink").errors).toBe(1);
    await p.stop();
  });

  it("flags records untrusted while the clock is not synchronised", async () => {
    let trusted = false;
    const s = new ManualSource("s", [info("s/t")]);
    const sink = new Collect();
    const p = new Pipeline({ sources: [s], processors: new Map(), sink, log: silentLogger(), clockTrusted: () => trusted, now: () => 0 });
    await p.start();
    s.push(1);
    trusted = true;
    s.push(2);
    expect(sink.records.map((r) => r.untrusted)).toEqual([true, undefined]);
    await p.stop();
  });
});
