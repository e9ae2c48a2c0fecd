// Emulator base for chips with 16-bit registers behind a pointer byte (TMP102, MCP9808): a write of one byte
// sets the pointer, a write of three also writes the register (MSB first); reads return the register MSB first
// and keep returning it (the pointer does not advance).
import { SimDevice } from "./sim-device.js";

export abstract class WordRegisterSim extends SimDevice {
  protected pointer = 0;

  protected abstract readWordRegister(reg: number): number;
  protected abstract writeWordRegister(reg: number, value: number, bytes: number): void;

  protected onWrite(data: Uint8Array): void {
    if (data.length === 0) return;
    this.pointer = data[0];
    if (data.length === 2) this.writeWordRegister(this.pointer, data[1], 1);
    if (data.length >= 3) this.writeWordRegister(this.pointer, (data[1] << 8) | data[2], 2);
  }

  protected onRead(length: number): Uint8Array {
    const w = this.readWordRegister(this.pointer);
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = i % 2 === 0 ? (w >> 8) & 0xff : w & 0xff;
    return out;
  }
}
