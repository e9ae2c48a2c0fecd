// The series the codec benchmark and the real-data tests run on: every file of ../shared/data (read in place,
// never copied) and a few synthetic series. Temperature is quantized to 0.01 degC, as a real sensor reports it.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { readI16 } from "../../agent/codec/files.js";

export const DATA_DIR = resolve(import.meta.dirname, "../../../shared/data");
export const TEMPERATURE_RESOLUTION = 0.01;

export interface TemperatureSeries {
  kind: "temperature";
  name: string;
  times: number[];
  /** Counts of 0.01 degC. */
  counts: number[];
  synthetic: boolean;
}

export interface VibrationSeries {
  kind: "vibration";
  name: string;
  rateHz: number;
  scale: number;
  counts: Int32Array;
  synthetic: boolean;
}

export type Series = TemperatureSeries | VibrationSeries;

/** "2015-02-04 17:51:00" as UTC epoch ms (the files carry no zone; UTC keeps the intervals exact). */
function parseStamp(s: string): number {
  const t = Date.parse(s.replace(/"/g, "").trim().replace(" ", "T") + "Z");
  if (!Number.isFinite(t)) throw new Error(`bad timestamp "${s}"`);
  return t;
}

function readTemperatureCsv(path: string): { times: number[]; values: number[] } {
  const lines = readFileSync(path, "utf8").trim().split(/\r?\n/);
  const header = lines[0].split(",").map((h) => h.replace(/"/g, "").trim().toLowerCase());
  const ti = header.findIndex((h) => h === "date" || h === "timestamp");
  const vi = header.findIndex((h) => h === "temperature" || h === "value");
  if (ti < 0 || vi < 0) throw new Error(`${path}: no time/temperature columns in "${lines[0]}"`);
  const times: number[] = [];
  const values: number[] = [];
  for (const line of lines.slice(1)) {
    const c = line.split(",");
    times.push(parseStamp(c[ti]));
    values.push(Number(c[vi].replace(/"/g, "")));
  }
  return { times, values };
}

export function listDataFiles(): { temperature: string[]; vibration: string[] } {
  if (!existsSync(DATA_DIR)) throw new Error(`real data not found at ${DATA_DIR} (expected ../shared/data beside the repository)`);
  return {
    temperature: readdirSync(join(DATA_DIR, "temperature")).filter((f) => f.endsWith(".csv")).sort(),
    vibration: readdirSync(join(DATA_DIR, "vibration")).filter((f) => f.endsWith(".i16")).sort(),
  };
}

export function loadTemperature(file: string): TemperatureSeries {
  const { times, values } = readTemperatureCsv(join(DATA_DIR, "temperature", file));
  return { kind: "temperature", name: file.replace(/\.csv$/, ""), times, counts: values.map((v) => Math.round(v / TEMPERATURE_RESOLUTION)), synthetic: false };
}

export function loadVibration(file: string): VibrationSeries {
  const meta = JSON.parse(readFileSync(join(DATA_DIR, "vibration", file.replace(/\.i16$/, ".json")), "utf8")) as { sample_rate_hz: number; scale_g_per_count: number };
  return { kind: "vibration", name: file.replace(/\.i16$/, ""), rateHz: meta.sample_rate_hz, scale: meta.scale_g_per_count, counts: readI16(new Uint8Array(readFileSync(join(DATA_DIR, "vibration", file)))), synthetic: false };
}

export function loadRealData(): Series[] {
  const files = listDataFiles();
  return [...files.temperature.map(loadTemperature), ...files.vibration.map(loadVibration)];
}

function lcg(seed: number): () => number {
  let s = seed | 0;
  return () => ((s = (Math.imul(s, 1103515245) + 12345) | 0) >>> 8) / 2 ** 24;
}

/** Synthetic series: a cold room with door openings and defrost cycles, and a 3.2 kHz ADXL345-like waveform. */
export function syntheticSeries(): Series[] {
  const rnd = lcg(42);
  const n = 10_080; // one week at 60 s
  const times: number[] = [];
  const counts: number[] = [];
  let t = Date.UTC(2026, 0, 5);
  let temp = 300; // 3.00 degC
  let door = 0;
  for (let i = 0; i < n; i++) {
    t += 60_000 + Math.round((rnd() - 0.5) * 4) * 250;
    if (door === 0 && rnd() < 0.01) door = 3 + Math.floor(rnd() * 10);
    const target = door > 0 ? 900 : i % 360 < 20 ? 800 : 300; // door open, defrost every 6 h
    if (door > 0) door--;
    temp += (target - temp) * 0.08 + (rnd() - 0.5) * 3;
    counts.push(Math.round(temp));
    times.push(t);
  }
  const rate = 3200;
  const m = rate * 20;
  const vib = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    const s = i / rate;
    const shaft = 24.7;
    const v = 60 * Math.sin(2 * Math.PI * shaft * s) + 25 * Math.sin(2 * Math.PI * 2 * shaft * s + 1) + 18 * Math.sin(2 * Math.PI * 133.6 * s) * (1 + Math.sin(2 * Math.PI * shaft * s)) + 12 * (rnd() + rnd() + rnd() - 1.5);
    vib[i] = Math.max(-4096, Math.min(4095, Math.round(256 + v))); // 13-bit counts at 3.9 mg/LSB, 1 g on z
  }
  return [
    { kind: "temperature", name: "synthetic-coldroom-week", times, counts, synthetic: true },
    { kind: "vibration", name: "synthetic-adxl345-3200hz", rateHz: rate, scale: 0.0039, counts: vib, synthetic: true },
  ];
}
