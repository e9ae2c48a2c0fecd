// Modbus RTU slave emulator answering on a @serialport/binding-mock port: several slaves on one simulated RS-485
// bus, each a register model, with injectable faults (CRC errors, exceptions, silence, garbage, wrong id, partial).
import type { MockPortBinding } from "@serialport/binding-mock";
import { crcOk, withCrc } from "./crc16.js";
import { FUNCTION_CODE } from "./rtu-frame.js";
import type { DeviceProfile } from "./profiles.js";
import { wordsOf, type RegisterSpec } from "./registers.js";

export type SlaveFault =
  | { kind: "crc" }
  | { kind: "exception"; code: number }
  | { kind: "silence" }
  | { kind: "garbage" }
  | { kind: "wrong-id"; id: number }
  | { kind: "partial" }
  /** Noise before a correct reply: the master must still find the reply. */
  | { kind: "noise-then-reply" }
  /** A correct reply delivered in two chunks: the master must join them. */
  | { kind: "split" };

export type RegisterModel = (table: "holding" | "input", address: number) => number | undefined;

export interface SimSlave {
  /** Word at an address, or undefined for an unmapped address (answered with exception 0x02). */
  read: RegisterModel;
  /** Faults applied to the next requests, one per request. */
  faults: SlaveFault[];
  requests: number;
}

export class SimModbusBus {
  private readonly slaves = new Map<number, SimSlave>();
  /** Requests seen on the wire, for tests (raw bytes). */
  readonly wire: Buffer[] = [];
  /** When each request arrived and each reply chunk was put on the line (performance.now() ms). */
  readonly timeline: Array<{ dir: "request" | "reply"; t: number }> = [];
  private rx = Buffer.alloc(0);

  constructor(private readonly binding: MockPortBinding) {
    const write = binding.write.bind(binding);
    // The mock binding is the wire: whatever the master writes reaches every slave on the bus.
    binding.write = async (buf: Buffer) => {
      await write(buf);
      this.onWire(buf);
    };
  }

  addSlave(id: number, read: RegisterModel): SimSlave {
    const s: SimSlave = { read, faults: [], requests: 0 };
    this.slaves.set(id, s);
    return s;
  }

  slave(id: number): SimSlave | undefined {
    return this.slaves.get(id);
  }

  private onWire(buf: Buffer): void {
    this.rx = Buffer.concat([this.rx, buf]);
    if (this.rx.length < 8) return;
    const req = this.rx.subarray(0, 8);
    this.rx = Buffer.alloc(0);
    this.wire.push(Buffer.from(req));
    this.timeline.push({ dir: "request", t: performance.now() });
    if (!crcOk(req, 0, 8)) return; // a slave ignores a damaged request
    const id = req[0];
    const slave = this.slaves.get(id);
    if (!slave) return; // nobody home: silence
    slave.requests++;
    const reply = this.reply(id, slave, req);
    for (const chunk of reply) {
      setImmediate(() => {
        if (!this.binding.isOpen) return;
        this.timeline.push({ dir: "reply", t: performance.now() });
        this.binding.emitData(chunk);
      });
    }
  }

  private reply(id: number, slave: SimSlave, req: Buffer): Buffer[] {
    const fc = req[1];
    const address = req.readUInt16BE(2);
    const count = req.readUInt16BE(4);
    const fault = slave.faults.shift();
    const table = fc === FUNCTION_CODE.holding ? "holding" : fc === FUNCTION_CODE.input ? "input" : undefined;
    const exception = (code: number) => withCrc(Buffer.from([id, fc | 0x80, code]));
    if (fault?.kind === "silence") return [];
    if (fault?.kind === "garbage") return [Buffer.from([0xff, 0x00, 0x13, 0x37, 0xfe, 0x55, 0xaa, 0x01, 0x7f])];
    if (fault?.kind === "exception") return [exception(fault.code)];
    if (!table) return [exception(0x01)];
    if (count < 1 || count > 125) return [exception(0x03)];
    const words: number[] = [];
    for (let i = 0; i < count; i++) {
      const w = slave.read(table, address + i);
      if (w === undefined) return [exception(0x02)];
      words.push(w & 0xffff);
    }
    const pdu = Buffer.alloc(3 + 2 * count);
    pdu[0] = fault?.kind === "wrong-id" ? fault.id : id;
    pdu[1] = fc;
    pdu[2] = 2 * count;
    words.forEach((w, i) => pdu.writeUInt16BE(w, 3 + 2 * i));
    const frame = withCrc(pdu);
    switch (fault?.kind) {
      case "crc":
        frame[frame.length - 1] ^= 0x5a;
        return [frame];
      case "partial":
        return [frame.subarray(0, Math.max(3, frame.length - 3))];
      case "noise-then-reply":
        return [Buffer.concat([Buffer.from([0x00, 0xff, 0x3c]), frame])];
      case "split":
        return [frame.subarray(0, 4), frame.subarray(4)];
      default:
        return [frame];
    }
  }
}

/** Word model of a profile device with plausible, slowly varying values (the demo's vibration transmitter). */
export function profileSlave(profile: DeviceProfile, seed = 1): RegisterModel {
  let n = seed;
  const wobble = () => {
    n = (n * 1103515245 + 12345) & 0x7fffffff;
    return n / 0x7fffffff - 0.5;
  };
  const plausible = (unit: string): number => {
    if (unit === "mm/s") return 2.2 + 0.4 * wobble(); // ISO 10816-3 zone A/B border for a medium machine
    if (unit === "degC") return 41 + 2 * wobble();
    return 100 + 10 * wobble();
  };
  // Each word of each register: multi-word registers answer their high and low words in the configured order.
  const byWord = new Map<string, RegisterSpec>();
  for (const r of profile.registers) {
    for (let i = 0; i < wordsOf(r); i++) byWord.set(`${r.table}:${r.address + i}`, r);
  }
  return (table, address) => {
    const r = byWord.get(`${table}:${address}`);
    if (!r) return undefined;
    const count = Math.round((plausible(r.unit) - r.offset) / r.scale);
    if (wordsOf(r) === 1) return count & 0xffff;
    const u = count < 0 ? count + 0x100000000 : count;
    const hi = Math.floor(u / 0x10000) & 0xffff;
    const lo = u & 0xffff;
    const first = address === r.address;
    return r.wordOrder === "big" ? (first ? hi : lo) : first ? lo : hi;
  };
}
