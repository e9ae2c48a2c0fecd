// What edge-agent is compared with, each on the same series in the same run.
import { spawnSync } from "node:child_process";
import { brotliCompressSync, brotliDecompressSync, constants, deflateSync, gunzipSync, gzipSync, inflateSync } from "node:zlib";
import { decodePayload, encodePayload } from "sparkplug-payload/lib/sparkplugbpayload.js";
import { gorillaDecode, gorillaEncode } from "./gorilla.js";

export interface Batch {
  /** Epoch ms per sample. */
  times: number[];
  /** Integer counts and their physical scale. */
  counts: ArrayLike<number>;
  scale: number;
  name: string;
  /** Set for regular series (vibration). */
  rateHz?: number;
}

export interface PeerResult {
  bytes: number;
  encodeMs: number;
  decodeMs?: number;
}

export type Peer = (b: Batch) => PeerResult;

function timed<T>(fn: () => T): [T, number] {
  const t = performance.now();
  const r = fn();
  return [r, performance.now() - t];
}

function physical(b: Batch, i: number): number {
  return Number((b.counts[i] * b.scale).toPrecision(12));
}

/** ThingsBoard gateway / Node-RED style: one JSON message per reading. */
export const jsonPerSample: Peer = (b) => {
  const [msgs, encodeMs] = timed(() => Array.from(b.times, (t, i) => JSON.stringify({ ts: Math.round(t), values: { [b.name]: physical(b, i) } })));
  const [, decodeMs] = timed(() => msgs.map((m) => JSON.parse(m)));
  return { bytes: msgs.reduce((s, m) => s + Buffer.byteLength(m), 0), encodeMs, decodeMs };
};

export const jsonBatchGzip: Peer = (b) => {
  const [z, encodeMs] = timed(() => gzipSync(JSON.stringify(Array.from(b.times, (t, i) => ({ ts: Math.round(t), values: { [b.name]: physical(b, i) } })))));
  const [, decodeMs] = timed(() => JSON.parse(gunzipSync(z).toString()));
  return { bytes: z.length, encodeMs, decodeMs };
};

/** Sparkplug B: one metric per reading (alias, timestamp, Float value), the payload deflated. */
export const sparkplugDeflate: Peer = (b) => {
  const [z, encodeMs] = timed(() =>
    deflateSync(
      encodePayload({
        timestamp: Math.round(b.times[0] ?? 0),
        seq: 0,
        metrics: Array.from(b.times, (t, i) => ({ alias: 1, timestamp: Math.round(t), type: "Float" as const, value: physical(b, i) })),
      }),
    ),
  );
  const [, decodeMs] = timed(() => decodePayload(inflateSync(z)));
  return { bytes: z.length, encodeMs, decodeMs };
};

export const gorilla: Peer = (b) => {
  const values = Array.from(b.times, (_, i) => b.counts[i] * b.scale);
  const [z, encodeMs] = timed(() => gorillaEncode(b.times, values));
  const [d, decodeMs] = timed(() => gorillaDecode(z));
  if (d.values.length !== values.length || d.values.some((v, i) => !Object.is(v, values[i]))) throw new Error(`gorilla round trip failed on ${b.name}`);
  return { bytes: z.length, encodeMs, decodeMs };
};

/** The series as plain binary: int16 counts for waveforms, int64 ms times then int32 counts (columns) otherwise. */
export function rawBinary(b: Batch): Buffer {
  const n = b.times.length;
  if (b.rateHz) {
    const out = Buffer.alloc(2 * n);
    for (let i = 0; i < n; i++) out.writeInt16LE(b.counts[i], 2 * i);
    return out;
  }
  const out = Buffer.alloc(12 * n);
  for (let i = 0; i < n; i++) out.writeBigInt64LE(BigInt(b.times[i]), 8 * i);
  for (let i = 0; i < n; i++) out.writeInt32LE(b.counts[i], 8 * n + 4 * i);
  return out;
}

function tool(cmd: string, args: string[], input: Buffer): Buffer {
  const r = spawnSync(cmd, args, { input, maxBuffer: 1 << 28 });
  if (r.error || r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.error?.message ?? r.stderr.toString()} (install Debian's zstd, xz-utils, flac)`);
  return r.stdout;
}

export const zstd19: Peer = (b) => {
  const [z, encodeMs] = timed(() => tool("zstd", ["-19", "-q", "-c", "--no-check"], rawBinary(b)));
  return { bytes: z.length, encodeMs };
};

export const xz9: Peer = (b) => {
  const [z, encodeMs] = timed(() => tool("xz", ["-9", "-c", "--format=xz", "--check=none"], rawBinary(b)));
  return { bytes: z.length, encodeMs };
};

export const brotli11: Peer = (b) => {
  const raw = rawBinary(b);
  const [z, encodeMs] = timed(() => brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }));
  const [, decodeMs] = timed(() => brotliDecompressSync(z));
  return { bytes: z.length, encodeMs, decodeMs };
};

/** flac -8 on the int16 waveform, without the padding and seek table blocks (they are not compression). */
export const flac8: Peer = (b) => {
  const args = ["-8", "-s", "-c", "--force-raw-format", "--endian=little", "--sign=signed", "--channels=1", "--bps=16", `--sample-rate=${Math.round(b.rateHz!)}`, "--no-padding", "--no-seektable", "-"];
  const [z, encodeMs] = timed(() => tool("flac", args, rawBinary(b)));
  return { bytes: z.length, encodeMs };
};

/** The speed reference of the issue: zlib deflate level 6 on the same raw bytes, in this process. */
export function deflate6(raw: Buffer): number {
  return deflateSync(raw, { level: 6 }).length;
}
