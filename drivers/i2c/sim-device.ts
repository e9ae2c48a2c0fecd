// The base of every chip emulator: how it answers I2C messages, plus the faults a test or the demo can inject.
import { errnoError } from "./port.js";

export interface SimFaults {
  /** NACK the next n transfers (a device busy or glitching). */
  nackNext: number;
  /** Flip one bit in each of the next n read responses (breaks a CRC, or corrupts a register value). */
  flipNextReads: number;
  /** The device is gone from the bus: every transfer is NACKed, as a loose connector looks. */
  absent: boolean;
}

export abstract class SimDevice {
  abstract readonly chip: string;
  readonly faults: SimFaults = { nackNext: 0, flipNextReads: 0, absent: false };
  /** Transfers seen, by direction: lets tests check that a faulty chip was not disturbed by another. */
  readonly transfers = { reads: 0, writes: 0 };

  constructor(
    readonly address: number,
    protected readonly clock: () => number,
  ) {}

  /** One write message (START, address+W, the bytes, STOP). */
  protected abstract onWrite(data: Uint8Array): void;
  /** One read message (START, address+R, length bytes, STOP). */
  protected abstract onRead(length: number): Uint8Array;

  write(data: Uint8Array): void {
    this.gate();
    this.transfers.writes++;
    this.onWrite(data);
  }

  read(length: number): Uint8Array {
    this.gate();
    this.transfers.reads++;
    const out = this.onRead(length);
    if (this.faults.flipNextReads > 0 && out.length > 0) {
      this.faults.flipNextReads--;
      out[Math.min(1, out.length - 1)] ^= 0x04;
    }
    return out;
  }

  injectNack(times = 1): void {
    this.faults.nackNext += times;
  }

  injectBitFlips(times = 1): void {
    this.faults.flipNextReads += times;
  }

  disappear(): void {
    this.faults.absent = true;
  }

  reappear(): void {
    this.faults.absent = false;
  }

  protected nack(why: string): never {
    throw errnoError("EREMOTEIO", `0x${this.address.toString(16)} ${this.chip}: ${why}`);
  }

  private gate(): void {
    if (this.faults.absent) this.nack("no device");
    if (this.faults.nackNext > 0) {
      this.faults.nackNext--;
      this.nack("injected NACK");
    }
  }
}

/**
 * A chip with 8-bit registers behind a register pointer: a write sets the pointer and writes the following bytes,
 * a read returns bytes from the pointer on. `nextPointer` decides auto-increment (chip specific).
 */
export abstract class RegisterSimDevice extends SimDevice {
  protected readonly regs = new Uint8Array(256);
  protected pointer = 0;

  protected onWrite(data: Uint8Array): void {
    if (data.length === 0) return;
    this.pointer = data[0];
    let p = this.pointer;
    for (let i = 1; i < data.length; i++) {
      this.writeRegister(p & 0xff, data[i]);
      p = this.nextPointer(p);
    }
  }

  protected onRead(length: number): Uint8Array {
    const out = new Uint8Array(length);
    let p = this.pointer;
    for (let i = 0; i < length; i++) {
      out[i] = this.readRegister(p & 0xff);
      p = this.nextPointer(p);
    }
    this.pointer = p;
    return out;
  }

  protected nextPointer(p: number): number {
    return (p + 1) & 0xff;
  }

  protected readRegister(reg: number): number {
    return this.regs[reg];
  }

  protected writeRegister(reg: number, value: number): void {
    this.regs[reg] = value;
  }
}
