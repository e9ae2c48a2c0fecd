// Modbus RTU master on a serial stream. Own framing on serialport rather than the `modbus-serial` package: that
// package pins its own serialport major, hides faults behind generic errors (we count CRC, exception, wrong slave,
// partial frame, garbage and timeout separately), drops frames that follow line noise, and does not serialise
// several slaves on one RS-485 bus with the required inter-frame silence. Reading registers is ~200 lines here.
import { DriverError, type DriverFaultKind } from "../types.js";
import { EXCEPTION_NAMES, FUNCTION_CODE, classifyBadResponse, findResponse, readRequest, type RegisterTable } from "./rtu-frame.js";
import { t35Ms, txMs, type LineSettings } from "./rtu-timing.js";

/** The part of a serialport stream the master uses. */
export interface SerialStream {
  write(data: Buffer, cb?: (err?: Error | null) => void): boolean;
  on(event: "data", fn: (chunk: Buffer) => void): unknown;
  off(event: "data", fn: (chunk: Buffer) => void): unknown;
}

export type ModbusFaultKind = "crc" | "exception" | "id-mismatch" | "partial" | "garbage" | "timeout" | "write";

const DRIVER_KIND: Record<ModbusFaultKind, DriverFaultKind> = {
  crc: "crc",
  exception: "protocol",
  "id-mismatch": "id-mismatch",
  partial: "protocol",
  garbage: "protocol",
  timeout: "timeout",
  write: "bus",
};

export class ModbusError extends DriverError {
  constructor(
    readonly fault: ModbusFaultKind,
    message: string,
    readonly exceptionCode?: number,
    transient = true,
  ) {
    super(DRIVER_KIND[fault], message, transient);
    this.name = "ModbusError";
  }
}

/** Exceptions that name a configuration mistake: retrying cannot help (illegal function, address, value). */
const PERMANENT_EXCEPTIONS = new Set([0x01, 0x02, 0x03]);

export interface RtuMasterOptions extends LineSettings {
  /** Reply timeout per attempt; always set. */
  timeoutMs: number;
  /** Further attempts after a failed one. */
  retries?: number;
  /**
   * Silence after the last received byte that ends a reply which is not (yet) a valid frame. At least t3.5; more
   * because USB-RS485 adapters deliver bytes in bursts up to their latency timer (16 ms on FTDI).
   */
  replyGapMs?: number;
  /** Every failed attempt, for counting; the final error is also thrown. */
  onFault?: (err: ModbusError, slave: number) => void;
  now?: () => number;
}

export class ModbusRtuMaster {
  private queue: Promise<unknown> = Promise.resolve();
  private lastLineActivity = -Infinity;
  private rx = Buffer.alloc(0);
  private onRx: (() => void) | undefined;
  private readonly t35: number;
  private readonly gapMs: number;
  private readonly now: () => number;
  private readonly listener = (chunk: Buffer) => {
    this.lastLineActivity = this.now();
    // Bytes outside a transaction are late replies or noise: they only delay the next request (silence rule).
    if (!this.onRx) return;
    this.rx = Buffer.concat([this.rx, chunk]);
    this.onRx();
  };

  constructor(
    private readonly port: SerialStream,
    private readonly opts: RtuMasterOptions,
  ) {
    this.t35 = t35Ms(opts);
    this.gapMs = Math.max(this.t35, opts.replyGapMs ?? 20);
    this.now = opts.now ?? (() => performance.now());
    port.on("data", this.listener);
  }

  /** Reads `count` registers; requests from all users of the bus are serialised. Throws ModbusError after retries. */
  readRegisters(slave: number, table: RegisterTable, address: number, count: number): Promise<number[]> {
    const run = () => this.withRetries(slave, table, address, count);
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => {});
    return p;
  }

  detach(): void {
    this.port.off("data", this.listener);
  }

  private async withRetries(slave: number, table: RegisterTable, address: number, count: number): Promise<number[]> {
    const attempts = 1 + (this.opts.retries ?? 2);
    let last: ModbusError | undefined;
    for (let a = 0; a < attempts; a++) {
      try {
        return await this.transaction(slave, table, address, count);
      } catch (e) {
        last = e as ModbusError;
        this.opts.onFault?.(last, slave);
        if (!last.transient) break;
      }
    }
    throw last!;
  }

  private async waitForSilence(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const wait = this.lastLineActivity + this.t35 - this.now();
      if (wait <= 0) return;
      await new Promise((r) => setTimeout(r, Math.ceil(wait)));
    }
  }

  private async transaction(slave: number, table: RegisterTable, address: number, count: number): Promise<number[]> {
    await this.waitForSilence();
    const fc = FUNCTION_CODE[table];
    const req = readRequest(slave, table, address, count);
    const what = `slave ${slave} ${table} ${address}+${count}`;
    this.rx = Buffer.alloc(0);
    return new Promise<number[]>((resolve, reject) => {
      let gapTimer: NodeJS.Timeout | undefined;
      const finish = (err: ModbusError | null, regs?: number[]) => {
        clearTimeout(gapTimer);
        clearTimeout(timeout);
        this.onRx = undefined;
        if (err) reject(err);
        else resolve(regs!);
      };
      const fail = () => {
        if (this.rx.length === 0) return finish(new ModbusError("timeout", `${what}: no reply within ${this.opts.timeoutMs} ms`));
        const m = findResponse(this.rx, slave, fc, count);
        if (m?.kind === "other-slave") return finish(new ModbusError("id-mismatch", `${what}: reply from slave ${m.slave}`));
        const kind = classifyBadResponse(this.rx, slave, fc, count);
        const text = { crc: "CRC mismatch", partial: "incomplete frame", garbage: "line garbage" }[kind];
        finish(new ModbusError(kind, `${what}: ${text} (${this.rx.length} bytes: ${this.rx.subarray(0, 16).toString("hex")})`));
      };
      this.onRx = () => {
        const m = findResponse(this.rx, slave, fc, count);
        if (m?.kind === "registers") return finish(null, m.registers);
        if (m?.kind === "exception") {
          const name = EXCEPTION_NAMES[m.code] ?? "unknown exception";
          return finish(new ModbusError("exception", `${what}: exception 0x${m.code.toString(16).padStart(2, "0")} (${name})`, m.code, !PERMANENT_EXCEPTIONS.has(m.code)));
        }
        clearTimeout(gapTimer);
        gapTimer = setTimeout(fail, Math.ceil(this.gapMs));
      };
      const timeout = setTimeout(fail, this.opts.timeoutMs + txMs(this.opts, req.length));
      this.lastLineActivity = this.now() + txMs(this.opts, req.length);
      this.port.write(req, (err) => {
        if (err) finish(new ModbusError("write", `${what}: write failed: ${err.message}`));
      });
    });
  }
}
