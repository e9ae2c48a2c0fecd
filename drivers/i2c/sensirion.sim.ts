// What the SHT3x and SHT4x emulators share: command decoding state, CRC-framed responses, conversion timing.
import { sensirionCrc8 } from "./crc8.js";
import { coldRoomClimate, type ClimateSignal } from "./signals.js";
import { SimDevice } from "./sim-device.js";

export abstract class SensirionSim extends SimDevice {
  protected response: Uint8Array | undefined;
  /** The response becomes readable at this time; a read earlier is NACKed (datasheet: "not acknowledged"). */
  protected readyAt = 0;
  protected signal: ClimateSignal = coldRoomClimate();

  setSignal(signal: ClimateSignal): void {
    this.signal = signal;
  }

  /** Frames words with their CRC, ready at `readyAt`. */
  protected respond(words: number[], delayMs: number): void {
    const out = new Uint8Array(words.length * 3);
    words.forEach((w, i) => {
      out[i * 3] = (w >> 8) & 0xff;
      out[i * 3 + 1] = w & 0xff;
      out[i * 3 + 2] = sensirionCrc8(out, i * 3, 2);
    });
    this.response = out;
    this.readyAt = this.clock() + delayMs;
  }

  protected onRead(length: number): Uint8Array {
    if (!this.response) this.nack("no data to read");
    if (this.clock() < this.readyAt) this.nack("measurement in progress");
    const out = new Uint8Array(length);
    out.set(this.response.subarray(0, length));
    // Fewer bytes than the response leaves nothing for a second read: the chip discards the rest on STOP.
    this.response = undefined;
    return out;
  }

  protected measureWords(): { st: number; srh: number } {
    const c = this.signal(this.clock());
    const st = Math.round(((c.temperature + 45) * 65535) / 175);
    return { st: Math.min(65535, Math.max(0, st)), srh: this.rhWord(c.humidity) };
  }

  protected abstract rhWord(rh: number): number;
}
