// The I2C bus port: the subset of i2c-bus's PromisifiedBus the drivers use. Any object of this shape works
// (i2c-bus on /dev/i2c-N, the emulated bus, a USB-to-I2C bridge adapter wrapped to look the same).

export interface BlockResult {
  bytesRead: number;
  buffer: Buffer;
}

export interface WriteResult {
  bytesWritten: number;
  buffer: Buffer;
}

/** SMBus transfers: what the kernel's i2c-stub supports (byte data, word data, I2C block data). */
export interface SmbusPort {
  readByte(addr: number, cmd: number): Promise<number>;
  writeByte(addr: number, cmd: number, byte: number): Promise<void>;
  /** SMBus word: the first byte on the wire is the low byte of the result. */
  readWord(addr: number, cmd: number): Promise<number>;
  writeWord(addr: number, cmd: number, word: number): Promise<void>;
  /** At most 32 bytes (SMBus I2C block limit). */
  readI2cBlock(addr: number, cmd: number, length: number, buffer: Buffer): Promise<BlockResult>;
}

/** Plain I2C messages, for command-based chips (Sensirion) that have no register pointer. */
export interface RawI2cPort {
  i2cRead(addr: number, length: number, buffer: Buffer): Promise<BlockResult>;
  i2cWrite(addr: number, length: number, buffer: Buffer): Promise<WriteResult>;
}

export interface I2cBus extends SmbusPort, RawI2cPort {
  /** SMBus receive byte; used only by the probe scan to find devices that no known chip claims. */
  receiveByte?(addr: number): Promise<number>;
  close(): Promise<void>;
}

/** The errno-style error the Linux i2c-dev driver raises (i2c-bus passes these through). */
export interface ErrnoError extends Error {
  code: string;
  errno?: number;
}

export function errnoError(code: "EREMOTEIO" | "ETIMEDOUT" | "EIO" | "ENXIO" | "EINVAL", message: string): ErrnoError {
  const e = new Error(`${code}: ${message}`) as ErrnoError;
  e.code = code;
  return e;
}

/** Every I2C address a 7-bit scan may touch (0x00-0x02 and 0x78-0x7F are reserved by the I2C spec). */
export const SCAN_FIRST = 0x03;
export const SCAN_LAST = 0x77;
