// Emulator of the Sensirion SHT3x: single-shot commands, status register, soft reset, CRC, conversion time.
import { SensirionSim } from "./sensirion.sim.js";

/** Table 4: maximum measurement durations (ms) by repeatability, for the single-shot commands (Table 9). */
const SINGLE_SHOT: Record<number, number> = { 0x2400: 15.5, 0x240b: 6.5, 0x2416: 4.5 };

export class Sht3xSim extends SensirionSim {
  readonly chip = "sht3x";
  /** Section 4.11, Table 17: power-on default has "alert pending" (bit 15) and "reset detected" (bit 4). */
  status = 0x8010;

  constructor(address: number, clock: () => number) {
    super(address, clock);
  }

  protected onWrite(data: Uint8Array): void {
    if (data.length < 2) this.nack("commands are 16 bits");
    const cmd = (data[0] << 8) | data[1];
    const duration = SINGLE_SHOT[cmd];
    if (duration !== undefined) {
      const { st, srh } = this.measureWords();
      this.respond([st, srh], duration);
      return;
    }
    switch (cmd) {
      case 0x30a2: // soft reset
        this.status = 0x8010;
        this.response = undefined;
        this.readyAt = this.clock() + 1.5;
        return;
      case 0xf32d:
        this.respond([this.status], 0);
        return;
      case 0x3041:
        this.status &= ~(0x8000 | 0x0800 | 0x0400 | 0x0010);
        return;
      case 0x3093: // break (stops periodic mode; harmless here)
        return;
      default:
        this.nack(`unknown command 0x${cmd.toString(16)}`);
    }
  }

  protected rhWord(rh: number): number {
    return Math.min(65535, Math.max(0, Math.round((rh * 65535) / 100)));
  }
}
