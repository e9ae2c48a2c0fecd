// Turns what a driver saw from a chip emulator into an i2c-stub register file, so the same driver can then run
// against the real kernel bus and must come to the same values.
// i2c-stub is a static register file (one 16-bit cell per register, no FIFO, no conversions), so each cell is
// loaded with the LAST value the emulator answered for it: a status polled until "ready" is ready at once, and
// a FIFO read repeatedly holds one sample (the tests use constant signals, so every sample is the same).
import type { BlockResult, SmbusPort } from "../../../drivers/i2c/port.js";

export class RegisterRecorder implements SmbusPort {
  /** register -> 16-bit cell content as an SMBus word read returns it. */
  readonly cells = new Map<number, number>();

  constructor(private readonly inner: SmbusPort) {}

  private setLow(reg: number, byte: number): void {
    this.cells.set(reg & 0xff, ((this.cells.get(reg & 0xff) ?? 0) & 0xff00) | (byte & 0xff));
  }

  async readByte(addr: number, cmd: number): Promise<number> {
    const v = await this.inner.readByte(addr, cmd);
    this.setLow(cmd, v);
    return v;
  }

  async readWord(addr: number, cmd: number): Promise<number> {
    const v = await this.inner.readWord(addr, cmd);
    this.cells.set(cmd, v & 0xffff);
    return v;
  }

  async readI2cBlock(addr: number, cmd: number, length: number, buffer: Buffer): Promise<BlockResult> {
    const r = await this.inner.readI2cBlock(addr, cmd, length, buffer);
    for (let i = 0; i < r.bytesRead; i++) this.setLow(cmd + i, r.buffer[i]);
    return r;
  }

  writeByte(addr: number, cmd: number, byte: number): Promise<void> {
    return this.inner.writeByte(addr, cmd, byte);
  }

  writeWord(addr: number, cmd: number, word: number): Promise<void> {
    return this.inner.writeWord(addr, cmd, word);
  }
}

/** Loads recorded cells into the stub chip at `address` (all other cells zero), through the real /dev/i2c-N. */
export async function loadStub(bus: SmbusPort, address: number, cells: Map<number, number>): Promise<void> {
  for (let reg = 0; reg < 256; reg++) await bus.writeWord(address, reg, cells.get(reg) ?? 0);
}
