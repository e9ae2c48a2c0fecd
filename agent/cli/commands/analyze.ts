// `edge-agent analyze`: features and bearing diagnosis of a raw recording, as a table or JSON.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { Command } from "../main.js";
import { ExitCode, UsageError } from "../exit-codes.js";
import { analyzeRecording, decodeI16, parseBearing, type RecordingAnalysis } from "../../analytics/recording.js";
import { formatRecording } from "../../analytics/report.js";

const USAGE =
  "edge-agent analyze --in FILE.i16 --rate HZ --scale G_PER_COUNT [--rpm R] [--bearing balls=9,ball=0.3126,pitch=1.537,angle=0]" +
  " [--channels N] [--window S] [--group 1|2] [--foundation rigid|flexible] [--envelope-band LO,HI] [--json]";

function positive(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (!Number.isFinite(v) || v <= 0) throw new UsageError(`--${name} expects a positive number, got "${text}"`);
  return v;
}

export const command: Command = {
  summary: "analyze a vibration recording (.i16): features, ISO 10816-3 zone, bearing diagnosis",
  usage: USAGE,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        in: { type: "string", short: "i" },
        rate: { type: "string" },
        scale: { type: "string" },
        rpm: { type: "string" },
        bearing: { type: "string" },
        channels: { type: "string", default: "1" },
        window: { type: "string", default: "0" },
        group: { type: "string", default: "2" },
        foundation: { type: "string", default: "rigid" },
        "envelope-band": { type: "string" },
        json: { type: "boolean", default: false },
      },
    });
    if (!values.in) throw new UsageError("--in FILE is required");
    const rate = positive("rate", values.rate);
    const scale = positive("scale", values.scale);
    if (rate === undefined || scale === undefined) throw new UsageError("--rate HZ and --scale G_PER_COUNT are required");
    const rpm = positive("rpm", values.rpm);
    const channels = positive("channels", values.channels)!;
    if (!Number.isInteger(channels)) throw new UsageError(`--channels expects an integer, got ${values.channels}`);
    const windowS = Number(values.window);
    if (!Number.isFinite(windowS) || windowS < 0) throw new UsageError(`--window expects seconds >= 0 (0: whole file), got "${values.window}"`);
    if (values.group !== "1" && values.group !== "2") throw new UsageError(`--group expects 1 or 2, got "${values.group}"`);
    if (values.foundation !== "rigid" && values.foundation !== "flexible") throw new UsageError(`--foundation expects rigid or flexible, got "${values.foundation}"`);
    let bearing;
    try {
      bearing = values.bearing === undefined ? undefined : parseBearing(values.bearing);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    if (bearing && rpm === undefined) throw new UsageError("--bearing needs --rpm (the defect frequencies scale with shaft speed)");
    let envelopeBandHz: [number, number] | undefined;
    if (values["envelope-band"] !== undefined) {
      const [lo, hi] = values["envelope-band"].split(",").map(Number);
      if (!(lo >= 0 && hi > lo && hi <= rate / 2)) throw new UsageError(`--envelope-band expects LO,HI in Hz below ${rate / 2}, got "${values["envelope-band"]}"`);
      envelopeBandHz = [lo, hi];
    }

    let result: RecordingAnalysis;
    try {
      const axes = decodeI16(readFileSync(values.in), channels, scale);
      result = analyzeRecording(axes, rate, windowS, {
        machineGroup: Number(values.group) as 1 | 2,
        foundation: values.foundation,
        bearing,
        shaftHz: rpm === undefined ? undefined : rpm / 60,
        envelopeBandHz,
      });
    } catch (e) {
      console.error(`edge-agent analyze: ${values.in}: ${(e as Error).message}`);
      return ExitCode.failure;
    }
    if (values.json) console.log(JSON.stringify({ file: values.in, ...result }, null, 2));
    else console.log(formatRecording(values.in, result));
    return ExitCode.ok;
  },
};
