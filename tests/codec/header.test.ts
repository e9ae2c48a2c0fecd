// The version 2 frame header: both stream reference forms, every channel descriptor coding, the time plan, flags,
// and what a decoder refuses. The byte layout asserted here is the one docs/wire-format.md documents.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeFrame, encodeFrame, FrameError, restampFrame, StreamNames, streamId, type FrameInput } from "../../agent/codec/index.js";
import { NAME_CODES, UNIT_CODES } from "../../agent/codec/channel-codes.js";
import { writeCrc } from "../../agent/codec/frame.js";
import type { ChannelInfo } from "../../drivers/types.js";
import { jitteredTemperature, T0 } from "./fixtures.js";

const temperature: ChannelInfo = { name: "temperature", unit: "degC", scale: 0.01, offset: 0 };
const minuteReadings = jitteredTemperature(60);

function irregular(over: Partial<Extract<FrameInput, { kind: "irregular" }>> = {}): Extract<FrameInput, { kind: "irregular" }> {
  return { kind: "irregular", stream: "room-1/temperature", seq: 5, channels: [temperature], times: minuteReadings.times, values: [minuteReadings.values], ...over };
}

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("compact header layout", () => {
  it("a one-channel compact frame starts with the documented 19 bytes", () => {
    const bytes = encodeFrame(irregular({ header: "compact" })).bytes;
    const id = Buffer.alloc(4);
    id.writeUInt32LE(streamId("room-1/temperature"));
    const expected = [
      "ea02", // magic, version 2
      "09", // kind 1 (irregular) | stream id flag 0x08
      "0068e5cf8b01", // t0 = 1,700,000,000,000
      bytes[9].toString(16).padStart(2, "0"), // length (one byte: the frame is shorter than 128 bytes)
      "05", // seq
      "3c", // count 60
      id.toString("hex"),
      "22", // channel: name code 2 (temperature) | unit code 2 (degC) << 4
      "1e", // scale 10^(30-32), offset 0, last channel
      "55", // time plan: mode 1 | payload coding 2 (0x04) | quantum code 10 (1 * 10^3 ms) << 3
    ].join("");
    expect(hex(bytes.subarray(0, 19))).toBe(expected);
    expect(bytes[9]).toBe(bytes.length);
  });

  it("saves the stream name's bytes over the full header, and both decode alike", () => {
    const full = encodeFrame(irregular()).bytes;
    const compact = encodeFrame(irregular({ header: "compact" })).bytes;
    expect(full.length - compact.length).toBe(1 + "room-1/temperature".length - 4);
    const a = decodeFrame(full);
    const b = decodeFrame(compact, { streams: new StreamNames(["room-1/temperature"]) });
    expect(a.header).toBe("full");
    expect(b.header).toBe("compact");
    expect({ ...b, header: "full", byteLength: a.byteLength }).toEqual(a);
  });

  it("a compact frame without a known name decodes with its id only", () => {
    const d = decodeFrame(encodeFrame(irregular({ header: "compact" })).bytes, { streams: new StreamNames(["other/stream"]) });
    expect(d.stream).toBeUndefined();
    expect("stream" in d).toBe(false);
    expect(d.streamId).toBe(streamId("room-1/temperature"));
  });

  it("a full frame's id is computed from its name", () => {
    expect(decodeFrame(encodeFrame(irregular({ stream: "a/b" })).bytes).streamId).toBe(streamId("a/b"));
  });
});

const channelArb: fc.Arbitrary<ChannelInfo> = fc.record({
  name: fc.oneof(fc.constantFrom(...NAME_CODES.slice(2)), fc.constantFrom("temperature", "flow", "x.rms", ""), fc.string({ maxLength: 12 })),
  unit: fc.oneof(fc.constantFrom(...UNIT_CODES.slice(1)), fc.string({ maxLength: 8 })),
  scale: fc.oneof(
    fc.integer({ min: -32, max: 30 }).map((k) => (k >= 0 ? 10 ** k : 1 / 10 ** -k)),
    fc.constantFrom(0.0625, 175 / 65535, 1 / 256, -0.01, 0, 1e-40, 1e31),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
  ),
  offset: fc.oneof(fc.constant(0), fc.constantFrom(-45, 0.5, -0, 273.15), fc.double({ noNaN: true, noDefaultInfinity: true })),
});

describe("round trips of every header field", () => {
  it("channels (table codes, strings, names from the stream, any scale and offset) in both forms and all kinds", () => {
    fc.assert(
      fc.property(
        fc.array(channelArb, { minLength: 1, maxLength: 6 }),
        fc.constantFrom("full" as const, "compact" as const),
        fc.constantFrom("plant/flow", "temperature", "a/b/x.rms", "s"),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        (channels, header, stream, untrusted, regular, seq) => {
          const values = channels.map((_, c) => [c, c - 3, 2 * c]);
          const input: FrameInput = regular
            ? { kind: "regular", stream, header, seq, untrusted, channels, t0: T0, rateHz: 100, values, ...(untrusted ? { gapBefore: { reason: "fifo overflow" } } : {}) }
            : { kind: "irregular", stream, header, seq, untrusted, channels, times: [T0, T0 + 1, T0 + 5], values };
          const d = decodeFrame(encodeFrame(input).bytes);
          expect(d.channels.map(({ counts: _c, ...info }) => info)).toEqual(channels);
          channels.forEach((c, i) => {
            expect(Object.is(d.channels[i].scale, c.scale)).toBe(true);
            expect(Object.is(d.channels[i].offset, c.offset)).toBe(true);
          });
          expect(d.channels.map((c) => Array.from(c.counts))).toEqual(values);
          expect(d.header).toBe(header);
          expect(d.stream).toBe(header === "full" ? stream : undefined);
          expect(d.streamId).toBe(streamId(stream));
          expect(d.seq).toBe(seq);
          expect(d.untrusted).toBe(untrusted);
          if (regular) expect(d.gapBefore).toEqual(untrusted ? { reason: "fifo overflow" } : undefined);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a channel named like the stream's last level is elided only when the frame carries the name", () => {
    const channels = [{ name: "flow", unit: "l/min", scale: 0.1, offset: 0 }];
    const input = irregular({ stream: "line-2/flow", channels });
    const full = encodeFrame(input).bytes;
    const compact = encodeFrame({ ...input, header: "compact" }).bytes;
    expect(full.length).toBe(encodeFrame({ ...input, channels: [{ ...channels[0], name: "flux" }] }).bytes.length - 5);
    expect(decodeFrame(full).channels[0].name).toBe("flow");
    expect(decodeFrame(compact).channels[0].name).toBe("flow");
  });

  it("time plans: short quanta in one byte, any other quantum as a varint", () => {
    for (const step of [1, 7, 10, 250, 1000, 60_000, 300_000, 150_000_000, 160_000_000, 123_457]) {
      const times = [T0, T0 + step, T0 + 3 * step, T0 + 4 * step];
      const d = decodeFrame(encodeFrame(irregular({ times, values: [[1, 2, 3, 4]] })).bytes);
      expect(d.timeQuantumMs).toBe(step);
      expect(Array.from(d.times)).toEqual(times);
    }
  });

  it("bounded frames keep codec and tolerance; events keep everything in both forms", () => {
    const b = decodeFrame(encodeFrame(irregular({ header: "compact", maxError: 0.05 })).bytes);
    expect(b.codec).toBe("bounded");
    expect(b.maxError).toBe(0.05);
    const events = [{ t: T0, type: "door.open", severity: "warning" as const, data: { openS: 3 } }];
    for (const header of ["full", "compact"] as const) {
      const e = decodeFrame(encodeFrame({ kind: "event", stream: "room/door", header, seq: 2, untrusted: true, events }).bytes);
      expect(e).toMatchObject({ kind: "event", codec: "events", header, streamId: streamId("room/door"), seq: 2, untrusted: true, events });
    }
  });

  it("restamping works on compact frames", () => {
    const bytes = encodeFrame(irregular({ header: "compact", untrusted: true })).bytes;
    const d = decodeFrame(restampFrame(bytes, 5000));
    expect(d.untrusted).toBe(false);
    expect(d.t0).toBe(T0 + 5000);
    expect(d.streamId).toBe(streamId("room-1/temperature"));
  });

  it("the encoder refuses an unknown header form", () => {
    expect(() => encodeFrame(irregular({ header: "tiny" as "full" }))).toThrow(/header tiny/);
  });
});

describe("malformed version 2 headers are refused", () => {
  /** A valid frame with byte `at` replaced and the CRC recomputed: what only a buggy encoder could send. */
  function patched(input: FrameInput, at: number, value: number): Uint8Array {
    const b = encodeFrame(input).bytes.slice();
    b[at] = value;
    writeCrc(b);
    return b;
  }
  const compact = irregular({ header: "compact", seq: 1 });
  // Offsets in a compact one-channel frame with a one-byte length and seq: 16 channel codes, 17 scale, 18 time plan.
  const cases: [string, Uint8Array, RegExp][] = [
    ["unknown flag bit 0x80", patched(compact, 2, 0x89), /unknown flag bits 0x80/],
    ["Rice flag on an irregular series", patched(compact, 2, 0x49), /Rice flag with series kind irregular/],
    ["gap flag on an irregular series", patched(compact, 2, 0x29), /gap flag with series kind irregular/],
    ["bounded flag on a regular series", patched({ kind: "regular", stream: "s", seq: 1, channels: [temperature], t0: T0, rateHz: 10, values: [[1, 2]] }, 2, 0x06), /bounded error with series kind regular/],
    ["series kind 0", patched(compact, 2, 0x08), /series kind 0/],
    ["name code 1 without the stream name", patched(compact, 16, 0x21), /channel name code 1 in a frame without the stream name/],
    ["time plan with mode 3", patched(compact, 18, 0x03), /time plan byte 0x3/],
  ];
  for (const [name, bytes, message] of cases) {
    it(name, () => {
      expect(() => decodeFrame(bytes)).toThrow(FrameError);
      expect(() => decodeFrame(bytes)).toThrow(message);
    });
  }

  it("more than 255 channels", () => {
    const b = encodeFrame(compact).bytes;
    const descriptors = Buffer.alloc(512);
    for (let i = 0; i < 256; i++) descriptors.set([0x22, 0x9e], 2 * i); // each one says "another channel follows"
    const rest = Buffer.concat([b.subarray(10, 16), descriptors]); // seq, count, stream id, then the descriptors
    const total = 9 + 2 + rest.length + 4;
    const out = Buffer.concat([b.subarray(0, 9), Buffer.from([(total & 0x7f) | 0x80, total >> 7]), rest, Buffer.alloc(4)]);
    writeCrc(out);
    expect(() => decodeFrame(out)).toThrow(/more than 255 channels/);
  });
});

describe("StreamNames", () => {
  it("refuses two names with one id and learns names from full frames", () => {
    const names = new StreamNames(["room/sjmzshkz"]);
    expect(() => names.add("room/gnylcbcx")).toThrow(/already the id of "room\/sjmzshkz"/);
    names.learn(decodeFrame(encodeFrame(irregular()).bytes));
    expect(names.nameOf(streamId("room-1/temperature"))).toBe("room-1/temperature");
    expect(names.size).toBe(2);
  });
});
