import { describe, expect, it } from "vitest";
import { StreamBatcher } from "../../agent/codec/batcher.js";
import { decodeFrame, streamId } from "../../agent/codec/index.js";
import { frameFromOpenParts } from "../../agent/codec/open-batch.js";
import { Priority, type StreamInfo } from "../../agent/model.js";
import { codecOptions } from "../../config/schema/codec.js";
import { T0, vibration } from "./fixtures.js";

const temp: StreamInfo = { name: "coldroom-1/temperature", kind: "periodic", priority: Priority.periodic, channels: [{ name: "temperature", unit: "degC", scale: 0.01, offset: 0 }, { name: "humidity", unit: "%RH", scale: 0.01, offset: 0 }] };
const vib: StreamInfo = { name: "pump/vibration", kind: "waveform", priority: Priority.waveform, channels: [{ name: "x", unit: "g", scale: 0.0039, offset: 0 }] };
const door: StreamInfo = { name: "coldroom-1/door", kind: "event", priority: Priority.event, channels: [] };

function counter(): () => number {
  let n = 100;
  return () => n++;
}

describe("StreamBatcher", () => {
  it("closes a sample frame at `batch` readings; channels share the time axis", () => {
    const b = new StreamBatcher(temp, codecOptions.parse({ batch: 3 }), counter());
    const frames = [];
    for (let i = 0; i < 7; i++) frames.push(...b.add({ kind: "sample", stream: temp.name, t: T0 + i * 1000, values: [2000 + i, 5000 - i] }));
    expect(frames.map((f) => f.samples)).toEqual([3, 3]);
    expect(frames.map((f) => f.seq)).toEqual([100, 101]);
    const d = decodeFrame(frames[1].bytes);
    expect(Array.from(d.times)).toEqual([T0 + 3000, T0 + 4000, T0 + 5000]);
    expect(Array.from(d.channels[1].counts)).toEqual([4997, 4996, 4995]);
    expect(frames[1]).toMatchObject({ stream: temp.name, tFirst: T0 + 3000, tLast: T0 + 5000, urgent: false, untrusted: false, priority: Priority.periodic });
    expect(b.flush(T0 + 6000, true).map((f) => f.samples)).toEqual([1]);
    expect(b.flush(T0 + 9e9, true)).toEqual([]);
  });

  it("codec.header compact: every frame of the stream (samples, blocks, events, checkpoint rebuilds) carries the id only", () => {
    const opts = codecOptions.parse({ batch: 2, header: "compact" });
    const t = new StreamBatcher(temp, opts, counter());
    t.add({ kind: "sample", stream: temp.name, t: T0, values: [1, 2] });
    const [part] = t.checkpoint(1000).parts;
    const rebuilt = frameFromOpenParts(temp.name, part.seq, [part.bytes]);
    const frames = [{ ...rebuilt, stream: temp.name }, ...t.add({ kind: "sample", stream: temp.name, t: T0 + 1000, values: [1, 2] })];
    const v = new StreamBatcher(vib, opts, counter());
    frames.push(...v.add({ kind: "block", stream: vib.name, t0: T0, rateHz: 100, channels: [vibration(2)] }));
    frames.push(...new StreamBatcher(door, opts, counter()).add({ kind: "event", stream: door.name, t: T0, type: "door.open", data: {} }));
    const decoded = frames.map((f) => decodeFrame(f.bytes));
    expect(decoded.map((d) => [d.header, d.stream, d.streamId])).toEqual([temp, temp, vib, door].map((s) => ["compact", undefined, streamId(s.name)]));
    expect(frames.map((f) => f.stream)).toEqual([temp.name, temp.name, vib.name, door.name]); // the store and the topic keep the name
    expect(decodeFrame(new StreamBatcher(temp, codecOptions.parse({ batch: 1 }), counter()).add({ kind: "sample", stream: temp.name, t: T0, values: [1, 2] })[0].bytes).header).toBe("full");
  });

  it("closes a frame by age on flush(now), not before", () => {
    const b = new StreamBatcher(temp, codecOptions.parse({ batch: 600, maxAgeMs: 60_000 }), counter());
    b.add({ kind: "sample", stream: temp.name, t: T0, values: [1, 2] });
    b.add({ kind: "sample", stream: temp.name, t: T0 + 30_000, values: [1, 2] });
    expect(b.flush(T0 + 59_999)).toEqual([]);
    const out = b.flush(T0 + 60_000);
    expect(out.map((f) => f.samples)).toEqual([2]);
  });

  it("never mixes untrusted and trusted readings in one frame, and flags the frame", () => {
    const b = new StreamBatcher(temp, codecOptions.parse({ batch: 10 }), counter());
    const out = [
      ...b.add({ kind: "sample", stream: temp.name, t: 1000, values: [1, 1], untrusted: true }),
      ...b.add({ kind: "sample", stream: temp.name, t: 2000, values: [1, 1], untrusted: true }),
      ...b.add({ kind: "sample", stream: temp.name, t: T0, values: [1, 1] }),
      ...b.flush(T0, true),
    ];
    expect(out.map((f) => [f.samples, f.untrusted])).toEqual([[2, true], [1, false]]);
    expect(decodeFrame(out[0].bytes).untrusted).toBe(true);
    expect(decodeFrame(out[1].bytes).untrusted).toBe(false);
  });

  it("turns an event into its own urgent frame at once", () => {
    const b = new StreamBatcher(door, codecOptions.parse({}), counter());
    const [f, ...rest] = b.add({ kind: "event", stream: door.name, t: T0, type: "door.open", severity: "warning", data: { openS: 0 } });
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ urgent: true, samples: 1, codec: "events", priority: Priority.event });
    expect(decodeFrame(f.bytes).events).toEqual([{ t: T0, type: "door.open", severity: "warning", data: { openS: 0 } }]);
  });

  it("stitches contiguous blocks, splits at `batch`, and never stitches across a gap", () => {
    const b = new StreamBatcher(vib, codecOptions.parse({ batch: 1000 }), counter());
    const x = vibration(1600);
    const out = [
      ...b.add({ kind: "block", stream: vib.name, t0: T0, rateHz: 1000, channels: [x.subarray(0, 600)] }),
      ...b.add({ kind: "block", stream: vib.name, t0: T0 + 600, rateHz: 1000, channels: [x.subarray(600, 1200)] }),
      ...b.add({ kind: "block", stream: vib.name, t0: T0 + 1300, rateHz: 1000, channels: [x.subarray(1200, 1600)], gapBefore: { lostSamples: 100, reason: "fifo overflow" } }),
      ...b.flush(T0 + 2000, true),
    ];
    expect(out.map((f) => f.samples)).toEqual([1000, 200, 400]);
    const [a, c, g] = out.map((f) => decodeFrame(f.bytes));
    expect(Array.from(a.channels[0].counts)).toEqual(Array.from(x.subarray(0, 1000)));
    expect(c.t0).toBe(T0 + 1000);
    expect(Array.from(c.channels[0].counts)).toEqual(Array.from(x.subarray(1000, 1200)));
    expect(g.gapBefore).toEqual({ lostSamples: 100, reason: "fifo overflow" });
    expect(c.gapBefore).toBeUndefined();
    expect(out[0].codec).toMatch(/^lossless\//);
  });

  it("starts a new frame when a block does not continue the previous one in time", () => {
    const b = new StreamBatcher(vib, codecOptions.parse({ batch: 10_000 }), counter());
    const out = [
      ...b.add({ kind: "block", stream: vib.name, t0: T0, rateHz: 1000, channels: [vibration(100)] }),
      ...b.add({ kind: "block", stream: vib.name, t0: T0 + 5000, rateHz: 1000, channels: [vibration(100)] }),
    ];
    expect(out.map((f) => decodeFrame(f.bytes).t0)).toEqual([T0]);
    expect(b.flush(T0, true).map((f) => decodeFrame(f.bytes).t0)).toEqual([T0 + 5000]);
  });

  it("uses bounded error when the stream opts in", () => {
    const b = new StreamBatcher(temp, codecOptions.parse({ batch: 100, maxError: 0.05 }), counter());
    const out = [];
    for (let i = 0; i < 100; i++) out.push(...b.add({ kind: "sample", stream: temp.name, t: T0 + i * 60_000, values: [2000 + (i % 2), 4000] }));
    const d = decodeFrame(out[0].bytes);
    expect(out[0].samples).toBe(100);
    expect(d.codec).toBe("bounded");
    expect(d.count).toBeLessThan(100);
  });

  it("rejects malformed records without losing the open batch", () => {
    const b = new StreamBatcher(temp, codecOptions.parse({ batch: 10 }), counter());
    b.add({ kind: "sample", stream: temp.name, t: T0, values: [1, 2] });
    expect(b.add({ kind: "sample", stream: temp.name, t: T0 + 1, values: [1] })).toEqual([]);
    expect(b.add({ kind: "sample", stream: temp.name, t: T0 + 2, values: [NaN, 1] })).toEqual([]);
    expect(b.add({ kind: "sample", stream: temp.name, t: 1.5, values: [1, 1] })).toEqual([]);
    expect(b.stats.rejected).toBe(3);
    const [f] = b.flush(T0, true);
    expect(Array.from(decodeFrame(f.bytes).channels[0].counts)).toEqual([1]);
  });
});
