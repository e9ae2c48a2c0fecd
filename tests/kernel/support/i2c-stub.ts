// The guest's i2c-stub: which /dev/i2c-N it is, which addresses answer, and how to fill its registers.
import { readdirSync, readFileSync } from "node:fs";
import i2c from "i2c-bus";

const STUB_ADAPTER_NAME = "SMBus stub driver";

/** The bus number of i2c-stub's adapter (the kernel numbers adapters dynamically). */
export function stubBusNumber(): number {
  for (const entry of readdirSync("/sys/class/i2c-adapter")) {
    const name = readFileSync(`/sys/class/i2c-adapter/${entry}/name`, "utf8").trim();
    if (name === STUB_ADAPTER_NAME) return Number(entry.replace("i2c-", ""));
  }
  throw new Error("i2c-stub adapter not found in /sys/class/i2c-adapter");
}

/** The addresses guest.sh gave i2c-stub (chip_addr=...). */
export function stubAddresses(): number[] {
  const raw = readFileSync("/sys/module/i2c_stub/parameters/chip_addr", "utf8").trim();
  return raw.split(",").map(Number).filter((a) => a !== 0);
}

/**
 * Writes bytes into consecutive stub registers starting at `register`, one SMBus byte-data write each.
 * i2c-stub keeps a 16-bit cell per register; byte transfers and I2C-block reads use its low byte, so this is
 * what a chip with 8-bit auto-incrementing registers looks like to the driver.
 */
export async function preloadBytes(bus: number, address: number, register: number, bytes: ArrayLike<number>): Promise<void> {
  const b = await i2c.openPromisified(bus);
  try {
    for (let i = 0; i < bytes.length; i++) await b.writeByte(address, register + i, bytes[i]);
  } finally {
    await b.close();
  }
}

/**
 * Sets a 16-bit register of a chip that sends MSB first (TMP102, MCP9808). SMBus word transfers put the low
 * byte on the wire first, so the cell holds the chip's two wire bytes swapped: a word read returns what a
 * real chip would, and the driver's own byte swap is exercised.
 */
export async function preloadBigEndianWord(bus: number, address: number, register: number, value: number): Promise<void> {
  const b = await i2c.openPromisified(bus);
  try {
    await b.writeWord(address, register, ((value & 0xff) << 8) | ((value >> 8) & 0xff));
  } finally {
    await b.close();
  }
}

/** Every register of one stub chip back to 0, so tests do not see each other's values. */
export async function clearChip(bus: number, address: number): Promise<void> {
  const b = await i2c.openPromisified(bus);
  try {
    for (let r = 0; r < 256; r++) await b.writeWord(address, r, 0);
  } finally {
    await b.close();
  }
}
