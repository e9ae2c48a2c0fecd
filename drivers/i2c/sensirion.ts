// What SHT3x and SHT4x share: commands are plain I2C writes, results come back as 16-bit words each followed by
// a CRC-8 byte (datasheets: "Checksum Calculation"), and a read before the measurement is done is NACKed.
import { DriverError } from "../types.js";
import type { DriverClock } from "./clock.js";
import { sensirionCrc8 } from "./crc8.js";
import { onBus } from "./errors.js";
import type { RawI2cPort } from "./port.js";

export async function sendCommand(bus: RawI2cPort, addr: number, bytes: number[]): Promise<void> {
  const buf = Buffer.from(bytes);
  await onBus(`write 0x${Buffer.from(bytes).toString("hex")}`, () => bus.i2cWrite(addr, buf.length, buf));
}

/**
 * Reads `words` CRC-protected words. A NACK right after the conversion time means "not ready yet" (the datasheet
 * times are maxima at nominal supply; a cold or weak supply can be slower), so it waits a little and tries again.
 */
export async function readWords(bus: RawI2cPort, addr: number, words: number, clock: DriverClock, retries = 3): Promise<number[]> {
  const buf = Buffer.alloc(words * 3);
  for (let attempt = 0; ; attempt++) {
    try {
      const r = await onBus("read result", () => bus.i2cRead(addr, buf.length, buf));
      if (r.bytesRead !== buf.length) throw new DriverError("protocol", `read result: ${r.bytesRead} of ${buf.length} bytes`);
      break;
    } catch (e) {
      if (!(e instanceof DriverError) || e.kind !== "nack" || attempt >= retries) throw e;
      await clock.sleep(2);
    }
  }
  const out: number[] = [];
  for (let i = 0; i < words; i++) {
    const crc = sensirionCrc8(buf, i * 3, 2);
    if (crc !== buf[i * 3 + 2]) {
      throw new DriverError("crc", `CRC mismatch in word ${i}: got 0x${buf[i * 3 + 2].toString(16)}, expected 0x${crc.toString(16)}`);
    }
    out.push((buf[i * 3] << 8) | buf[i * 3 + 1]);
  }
  return out;
}
