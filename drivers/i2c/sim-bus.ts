// The emulated bus: chip emulators held by address, answering the same calls as i2c-bus's PromisifiedBus.
import { errnoError, type BlockResult, type I2cBus, type WriteResult } from "./port.js";
import type { SimDevice } from "./sim-device.js";

/**
 * A model of the time transfers take on a real bus, for emulated time: 9 clocks per byte (8 bits and the
 * acknowledge) plus start/stop conditions at the bus clock rate, and a fixed cost per transfer for the system call,
 * the controller driver and its interrupt. `advance` moves the emulated clock on.
 */
export interface BusTiming {
  bitRateHz: number;
  overheadUs: number;
  advance(ms: number): void;
}

/** Clock cycles of a transfer: `bytes` bytes on the wire, including address bytes, plus `conditions` (S, Sr, P). */
const cycles = (bytes: number, conditions: number): number => bytes * 9 + conditions;

export class SimI2cBus implements I2cBus {
  private readonly devices = new Map<number, SimDevice>();
  /** A slave holding SDA/SCL low: every transfer on the bus times out until released. */
  stuck = false;
  closed = false;
  /** Transfers attempted on this bus (all addresses), for interleaving checks. */
  readonly log: { addr: number; op: string }[] = [];
  logTransfers = false;
  /** Bus time spent in transfers so far (ms), when a timing model is set. */
  busTimeMs = 0;

  constructor(private readonly timing?: BusTiming) {}

  private charge(clockCycles: number): void {
    if (!this.timing) return;
    const ms = (clockCycles * 1000) / this.timing.bitRateHz + this.timing.overheadUs / 1000;
    this.busTimeMs += ms;
    this.timing.advance(ms);
  }

  attach<D extends SimDevice>(device: D): D {
    if (this.devices.has(device.address)) throw new Error(`address 0x${device.address.toString(16)} is already taken`);
    this.devices.set(device.address, device);
    return device;
  }

  detach(address: number): void {
    this.devices.delete(address);
  }

  /** The emulator at an address, for programming signals and injecting faults. */
  device<D extends SimDevice = SimDevice>(address: number): D | undefined {
    return this.devices.get(address) as D | undefined;
  }

  addresses(): number[] {
    return [...this.devices.keys()].sort((a, b) => a - b);
  }

  private dev(addr: number, op: string): SimDevice {
    if (this.closed) throw errnoError("EINVAL", "bus closed");
    if (this.logTransfers) this.log.push({ addr, op });
    if (this.stuck) throw errnoError("ETIMEDOUT", "bus stuck low");
    const d = this.devices.get(addr);
    if (!d) throw errnoError("EREMOTEIO", `no device at 0x${addr.toString(16)}`);
    return d;
  }

  async i2cWrite(addr: number, length: number, buffer: Buffer): Promise<WriteResult> {
    this.dev(addr, "i2cWrite").write(Uint8Array.from(buffer.subarray(0, length)));
    this.charge(cycles(1 + length, 2));
    return { bytesWritten: length, buffer };
  }

  async i2cRead(addr: number, length: number, buffer: Buffer): Promise<BlockResult> {
    const data = this.dev(addr, "i2cRead").read(length);
    this.charge(cycles(1 + length, 2));
    buffer.set(data, 0);
    return { bytesRead: length, buffer };
  }

  async readByte(addr: number, cmd: number): Promise<number> {
    const d = this.dev(addr, "readByte");
    d.write(Uint8Array.of(cmd));
    const v = d.read(1)[0];
    this.charge(cycles(4, 3));
    return v;
  }

  async writeByte(addr: number, cmd: number, byte: number): Promise<void> {
    this.dev(addr, "writeByte").write(Uint8Array.of(cmd, byte & 0xff));
    this.charge(cycles(3, 2));
  }

  async readWord(addr: number, cmd: number): Promise<number> {
    const d = this.dev(addr, "readWord");
    d.write(Uint8Array.of(cmd));
    const b = d.read(2);
    this.charge(cycles(5, 3));
    return b[0] | (b[1] << 8);
  }

  async writeWord(addr: number, cmd: number, word: number): Promise<void> {
    this.dev(addr, "writeWord").write(Uint8Array.of(cmd, word & 0xff, (word >> 8) & 0xff));
    this.charge(cycles(4, 2));
  }

  async readI2cBlock(addr: number, cmd: number, length: number, buffer: Buffer): Promise<BlockResult> {
    if (length > 32) throw errnoError("EINVAL", "I2C block transfers carry at most 32 bytes");
    const d = this.dev(addr, "readI2cBlock");
    d.write(Uint8Array.of(cmd));
    buffer.set(d.read(length), 0);
    this.charge(cycles(3 + length, 3));
    return { bytesRead: length, buffer };
  }

  async receiveByte(addr: number): Promise<number> {
    const v = this.dev(addr, "receiveByte").read(1)[0];
    this.charge(cycles(2, 2));
    return v;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
