// `edge-agent codec encode|decode|stats`: the codec on files, for trials on recorded data and for consumers.
import { readFileSync, writeFileSync } from "node:fs";
import { basename, extname } from "node:path";
import { parseArgs } from "node:util";
import { decodeFrames, formatStreamId, FrameError, StreamNames, type DecodedFrame, type HeaderForm } from "../../codec/index.js";
import {
  concatFrames,
  encodeIrregularSeries,
  encodeRegularSeries,
  framesToCsv,
  parseSeriesCsv,
  quantize,
  readI16,
  writeI16,
} from "../../codec/files.js";
import type { Command } from "../main.js";
import { ExitCode, UsageError } from "../exit-codes.js";

const usage = `edge-agent codec encode --in FILE --out FILE [--rate HZ] [--resolution R] [--max-error E] [--batch N] [--t0 MS]
                                 [--stream NAME] [--unit UNIT] [--scale S] [--heartbeat-s S] [--header full|compact]
       edge-agent codec decode --in FILE --out FILE [--stream NAME]...
                                 (.i16 output for a lossless .i16 input, else CSV time_ms,value)
       edge-agent codec stats --in FILE [--stream NAME]...
  --header compact writes the stream's 32-bit id instead of its name; decode and stats name such frames from
  --stream NAME (repeatable) and from the full-header frames in the same file, else show the id as #xxxxxxxx.`;

function num(v: string | undefined, name: string, check: (x: number) => boolean = Number.isFinite): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (v.trim() === "" || !check(x)) throw new UsageError(`--${name}: expected a ${check === Number.isFinite ? "number" : "valid number"}, got "${v}"`);
  return x;
}

function read(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as Error).message}`);
  }
}

async function encode(argv: string[]): Promise<number> {
  const { values: o } = parseArgs({
    args: argv,
    strict: true,
    options: {
      in: { type: "string" },
      out: { type: "string" },
      rate: { type: "string" },
      resolution: { type: "string" },
      "max-error": { type: "string" },
      batch: { type: "string" },
      t0: { type: "string" },
      stream: { type: "string" },
      unit: { type: "string" },
      scale: { type: "string" },
      "heartbeat-s": { type: "string" },
      header: { type: "string" },
    },
  });
  if (!o.in || !o.out) throw new UsageError("encode needs --in FILE and --out FILE");
  const positive = (x: number) => Number.isFinite(x) && x > 0;
  const batch = num(o.batch, "batch", (x) => Number.isInteger(x) && x > 0);
  const rate = num(o.rate, "rate", positive);
  const resolution = num(o.resolution, "resolution", positive);
  const maxError = num(o["max-error"], "max-error", (x) => Number.isFinite(x) && x >= 0);
  const t0 = num(o.t0, "t0", Number.isSafeInteger) ?? 0;
  const heartbeatS = num(o["heartbeat-s"], "heartbeat-s", positive) ?? 900;
  const stream = o.stream ?? basename(o.in, extname(o.in));
  if (o.header !== undefined && o.header !== "full" && o.header !== "compact") throw new UsageError(`--header: expected full or compact, got "${o.header}"`);
  const header = (o.header ?? "full") as HeaderForm;
  const bytes = read(o.in);
  let frames;
  if (o.in.endsWith(".i16")) {
    if (rate === undefined) throw new UsageError("a .i16 input is a regular series: --rate HZ is required");
    if (maxError !== undefined) throw new UsageError("--max-error applies to irregular (CSV) series; waveforms are always lossless");
    const scale = num(o.scale, "scale", positive) ?? resolution ?? 1;
    frames = encodeRegularSeries(fileStep(() => readI16(bytes)), t0, rate, { stream, header, batch, channel: { name: "value", unit: o.unit ?? "", scale, offset: 0 } });
  } else {
    let csv;
    try {
      csv = parseSeriesCsv(new TextDecoder().decode(bytes));
    } catch (e) {
      throw new UsageError(`${o.in}: ${(e as Error).message}`);
    }
    // Without --resolution, the resolution the file was written at: lossless for what is in the file.
    const res = resolution ?? 10 ** -csv.decimals;
    const q = quantize(csv.values, res);
    let bound: number | undefined;
    if (maxError !== undefined) {
      // The bound holds against the file's values: quantization takes its share first.
      bound = maxError - q.error;
      if (bound < 0) throw new UsageError(`--max-error ${maxError} is smaller than the quantization error ${q.error} of --resolution ${res}`);
    }
    frames = encodeIrregularSeries(csv.times, q.counts, {
      stream,
      header,
      batch,
      channel: { name: "value", unit: o.unit ?? "", scale: res, offset: 0 },
      ...(bound !== undefined ? { maxError: bound, heartbeatMs: heartbeatS * 1000 } : {}),
    });
  }
  const out = concatFrames(frames);
  writeFileSync(o.out, out);
  const samples = frames.reduce((s, f) => s + f.samples, 0);
  console.log(`${o.out}: ${frames.length} frame(s), ${samples} samples, ${out.length} bytes (${samples ? (out.length / samples).toFixed(3) : "-"} bytes/sample)`);
  return ExitCode.ok;
}

/** The frames of a file; compact frames get their names from `names` and the full-header frames of the file. */
function decodeFile(path: string, names: string[] = []): DecodedFrame[] {
  let known: StreamNames;
  try {
    known = new StreamNames(names);
  } catch (e) {
    throw new UsageError(`--stream: ${(e as Error).message}`);
  }
  try {
    const frames = decodeFrames(read(path));
    for (const f of frames) known.learn(f);
    for (const f of frames) f.stream ??= known.nameOf(f.streamId);
    return frames;
  } catch (e) {
    if (e instanceof FrameError) throw new CodecFileError(`${path}: ${e.message}`);
    throw e;
  }
}

const namesOption = { stream: { type: "string", multiple: true } } as const;

/** The input file is not what the command needs: a clear message and exit 1, not a stack trace. */
class CodecFileError extends Error {}

function fileStep<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new CodecFileError((e as Error).message);
  }
}

async function decode(argv: string[]): Promise<number> {
  const { values: o } = parseArgs({ args: argv, strict: true, options: { in: { type: "string" }, out: { type: "string" }, ...namesOption } });
  if (!o.in || !o.out) throw new UsageError("decode needs --in FILE and --out FILE");
  const frames = decodeFile(o.in, o.stream);
  if (o.out.endsWith(".i16")) {
    const parts: number[][] = [];
    for (const f of frames) {
      if (f.kind !== "regular" || f.channels.length !== 1) throw new CodecFileError(`frame ${f.seq} is not a one-channel regular series: write CSV instead`);
      parts.push(Array.from(f.channels[0].counts));
    }
    writeFileSync(o.out, fileStep(() => writeI16(parts.flat())));
  } else {
    writeFileSync(o.out, fileStep(() => framesToCsv(frames)));
  }
  console.log(`${o.out}: ${frames.length} frame(s), ${frames.reduce((s, f) => s + f.count, 0)} samples`);
  return ExitCode.ok;
}

async function stats(argv: string[]): Promise<number> {
  const { values: o } = parseArgs({ args: argv, strict: true, options: { in: { type: "string" }, ...namesOption } });
  if (!o.in) throw new UsageError("stats needs --in FILE");
  const frames = decodeFile(o.in, o.stream);
  const rows = [["seq", "stream", "header", "kind", "codec", "predictors", "samples", "bytes", "bytes/sample"]];
  let bytes = 0;
  let samples = 0;
  for (const f of frames) {
    const preds = [...new Set(f.predictors.flat())].join("+") || "-";
    rows.push([String(f.seq), f.stream ?? formatStreamId(f.streamId), f.header, f.kind, f.codec, preds, String(f.count), String(f.byteLength), f.count ? (f.byteLength / f.count).toFixed(3) : "-"]);
    bytes += f.byteLength;
    samples += f.count;
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd());
  console.log(`frames ${frames.length}, samples ${samples}, bytes ${bytes}, bytes/sample ${samples ? (bytes / samples).toFixed(3) : "-"}`);
  return ExitCode.ok;
}

export const command: Command = {
  summary: "encode, decode and inspect codec frames (CSV time_ms,value or .i16 files)",
  usage,
  async run(argv) {
    const [sub, ...rest] = argv;
    const subs: Record<string, (a: string[]) => Promise<number>> = { encode, decode, stats };
    const fn = sub ? subs[sub] : undefined;
    if (!fn) throw new UsageError(sub ? `unknown codec subcommand "${sub}"` : "expected encode, decode or stats");
    try {
      return await fn(rest);
    } catch (e) {
      if (e instanceof CodecFileError) {
        console.error(`edge-agent codec ${sub}: ${e.message}`);
        return ExitCode.failure;
      }
      throw e;
    }
  },
};
