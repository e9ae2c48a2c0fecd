// Emulator of the Sensirion SHT4x: one-byte commands, serial number, soft reset, CRC, conversion time.
import { SensirionSim } from "./sensirion.sim.js";
import { coldRoomClimate } from "./signals.js";

/** Table 4 / Table 7: maximum measurement durations (ms) by precision. */
const MEASURE: Record<number, number> = { 0xfd: 8.3, 0xf6: 4.5, 0xe0: 1.6 };

export class Sht4xSim extends SensirionSim {
  readonly chip = "sht4x";
  serial = 0x0f3a8b21;

  constructor(address: number, clock: () => number) {
    super(address, clock);
    this.signal = coldRoomClimate({ seed: 2 });
  }

  protected onWrite(data: Uint8Array): void {
    if (data.length !== 1) this.nack("commands are 8 bits");
    const cmd = data[0];
    const duration = MEASURE[cmd];
    if (duration !== undefined) {
      const { st, srh } = this.measureWords();
      this.respond([st, srh], duration);
      return;
    }
    if (cmd === 0x89) return this.respond([this.serial >>> 16, this.serial & 0xffff], 0.2);
    if (cmd === 0x94) {
      this.response = undefined;
      this.readyAt = this.clock() + 1;
      return;
    }
    this.nack(`unknown command 0x${cmd.toString(16)}`);
  }

  protected rhWord(rh: number): number {
    return Math.min(65535, Math.max(0, Math.round(((rh + 6) * 65535) / 125)));
  }
}
