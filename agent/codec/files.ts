// The codec's file formats for the CLI, benchmarks and tests: CSV `time_ms,value`, raw little-endian int16
// counts (.i16), and a file of concatenated frames. Turning a whole file into frames lives here, not in the CLI.
import type { ChannelInfo } from "../../drivers/types.js";
import { decodeFrames, encodeFrame } from "./frame.js";
import type { DecodedFrame, EncodedFrame, HeaderForm } from "./frame-types.js";

export interface CsvSeries {
  times: number[];
  values: number[];
  /** Largest number of decimals written in the value column (the resolution the file was written at). */
  decimals: number;
}

/** Parses `time_ms,value` (a header line, then integer epoch milliseconds and a number per line). */
export function parseSeriesCsv(text: string): CsvSeries {
  const lines = text.split(/\r?\n/);
  const header = lines[0]?.trim().toLowerCase().replace(/"/g, "");
  if (header !== "time_ms,value") throw new Error(`expected the header "time_ms,value", got "${lines[0] ?? ""}"`);
  const times: number[] = [];
  const values: number[] = [];
  let decimals = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "") continue;
    const [ts, vs, extra] = line.split(",");
    const t = Number(ts);
    const v = Number(vs);
    if (extra !== undefined || !Number.isSafeInteger(t) || vs === undefined || vs.trim() === "" || !Number.isFinite(v)) {
      throw new Error(`line ${i + 1}: expected "<integer ms>,<number>", got "${line}"`);
    }
    const frac = /\.(\d+)$/.exec(vs.trim())?.[1];
    if (frac) decimals = Math.max(decimals, frac.replace(/0+$/, "").length);
    times.push(t);
    values.push(v);
  }
  return { times, values, decimals };
}

export interface Quantized {
  counts: number[];
  /** Largest |value - count * resolution|: 0 when the values were already at that resolution. */
  error: number;
}

export function quantize(values: number[], resolution: number): Quantized {
  let error = 0;
  const counts = values.map((v) => {
    const c = Math.round(v / resolution);
    const e = Math.abs(v - c * resolution);
    // Below a millionth of a step the difference is the float representation of a decimal, not quantization.
    if (e > resolution * 1e-6) error = Math.max(error, e);
    return c;
  });
  return { counts, error };
}

export function readI16(bytes: Uint8Array): Int32Array {
  if (bytes.length % 2) throw new Error(`an .i16 file has an even number of bytes, this one has ${bytes.length}`);
  const out = new Int32Array(bytes.length / 2);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  for (let i = 0; i < out.length; i++) out[i] = dv.getInt16(2 * i, true);
  return out;
}

export function writeI16(counts: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(counts.length * 2);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < counts.length; i++) {
    const v = counts[i];
    if (!Number.isInteger(v) || v < -32768 || v > 32767) throw new Error(`count ${v} at ${i} does not fit in int16`);
    dv.setInt16(2 * i, v, true);
  }
  return out;
}

export interface SeriesEncodeOptions {
  stream: string;
  channel: ChannelInfo;
  /** Samples per frame (default: the whole series in one frame). */
  batch?: number;
  firstSeq?: number;
  /** Frame header form (default "full"). */
  header?: HeaderForm;
}

export function encodeIrregularSeries(times: ArrayLike<number>, counts: ArrayLike<number>, opts: SeriesEncodeOptions & { maxError?: number; heartbeatMs?: number }): EncodedFrame[] {
  const out: EncodedFrame[] = [];
  const n = times.length;
  const batch = opts.batch ?? Math.max(1, n);
  let seq = opts.firstSeq ?? 0;
  for (let s = 0; s < n || (n === 0 && s === 0); s += batch) {
    const e = Math.min(n, s + batch);
    out.push(
      encodeFrame({
        kind: "irregular",
        stream: opts.stream,
        ...(opts.header ? { header: opts.header } : {}),
        seq: seq++,
        channels: [opts.channel],
        times: Array.prototype.slice.call(times, s, e) as number[],
        values: [Array.prototype.slice.call(counts, s, e) as number[]],
        ...(opts.maxError !== undefined ? { maxError: opts.maxError, heartbeatMs: opts.heartbeatMs } : {}),
      }),
    );
    if (n === 0) break;
  }
  return out;
}

export function encodeRegularSeries(counts: Int32Array, t0: number, rateHz: number, opts: SeriesEncodeOptions): EncodedFrame[] {
  const out: EncodedFrame[] = [];
  const n = counts.length;
  const batch = opts.batch ?? Math.max(1, n);
  let seq = opts.firstSeq ?? 0;
  for (let s = 0; s < n || (n === 0 && s === 0); s += batch) {
    const e = Math.min(n, s + batch);
    out.push(encodeFrame({ kind: "regular", stream: opts.stream, ...(opts.header ? { header: opts.header } : {}), seq: seq++, channels: [opts.channel], t0: t0 + (s * 1000) / rateHz, rateHz, values: [counts.subarray(s, e)] }));
    if (n === 0) break;
  }
  return out;
}

export function concatFrames(frames: { bytes: Uint8Array }[]): Uint8Array {
  const total = frames.reduce((s, f) => s + f.bytes.length, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const f of frames) {
    out.set(f.bytes, off);
    off += f.bytes.length;
  }
  return out;
}

/** Digits after the point that print a value of this scale exactly (0.01 -> 2), or undefined if none do. */
export function decimalsOf(scale: number): number | undefined {
  for (let k = 0; k <= 12; k++) {
    const m = scale * 10 ** k;
    if (Math.abs(m - Math.round(m)) < 1e-9 * Math.max(1, Math.abs(m))) return k;
  }
  return undefined;
}

/** CSV of decoded frames: `time_ms,value` for one channel, `time_ms,<name>,...` for several. */
export function framesToCsv(frames: DecodedFrame[]): string {
  const lines: string[] = [];
  let header: string | undefined;
  for (const f of frames) {
    if (f.kind === "event") throw new Error(`frame ${f.seq} holds events, not a series: CSV output needs a series`);
    const h = f.channels.length === 1 ? "time_ms,value" : ["time_ms", ...f.channels.map((c) => c.name)].join(",");
    if (header === undefined) {
      header = h;
      lines.push(h);
    } else if (h !== header) throw new Error(`frame ${f.seq} has different channels (${h}) from the first frame (${header})`);
    const fmt = f.channels.map((c) => {
      const d = c.offset === 0 || decimalsOf(c.offset) !== undefined ? decimalsOf(c.scale) : undefined;
      const dd = d === undefined ? undefined : Math.max(d, decimalsOf(c.offset) ?? 0);
      return (count: number) => {
        const v = count * c.scale + c.offset;
        return dd === undefined ? String(v) : v.toFixed(dd);
      };
    });
    for (let i = 0; i < f.count; i++) {
      const t = f.times[i];
      const row = [Number.isInteger(t) ? String(t) : String(Number(t.toFixed(3)))];
      f.channels.forEach((c, k) => row.push(fmt[k](c.counts[i])));
      lines.push(row.join(","));
    }
  }
  return lines.join("\n") + "\n";
}

export { decodeFrames };
