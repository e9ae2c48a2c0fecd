// A recorded waveform as an emulator signal: a raw file of signed 16-bit little-endian counts (the layout of the
// CWRU bearing recordings in ../shared/data/vibration), replayed on the x axis in a loop.
import { readFileSync } from "node:fs";
import { recordedVibration, type VibrationSignal } from "./signals.js";

export function readI16File(path: string): Int16Array {
  const buf = readFileSync(path);
  const out = new Int16Array(Math.floor(buf.length / 2));
  for (let i = 0; i < out.length; i++) out[i] = buf.readInt16LE(i * 2);
  return out;
}

export function recordedVibrationFile(path: string, rateHz: number, gPerCount: number): VibrationSignal {
  return recordedVibration(readI16File(path), rateHz, gPerCount);
}
