// RTU frames for the two read functions the agent uses. MODBUS Application Protocol V1.1b3: section 6.3 (0x03 Read
// Holding Registers) and 6.4 (0x04 Read Input Registers), 1 to 125 registers per request; section 7 (exceptions:
// function code | 0x80, one exception-code byte).
import { crcOk, withCrc } from "./crc16.js";

export type RegisterTable = "holding" | "input";
export const FUNCTION_CODE: Record<RegisterTable, number> = { holding: 0x03, input: 0x04 };
export const MAX_READ_REGISTERS = 125;

export const EXCEPTION_NAMES: Record<number, string> = {
  0x01: "illegal function",
  0x02: "illegal data address",
  0x03: "illegal data value",
  0x04: "server device failure",
  0x05: "acknowledge",
  0x06: "server device busy",
  0x08: "memory parity error",
  0x0a: "gateway path unavailable",
  0x0b: "gateway target device failed to respond",
};

export function readRequest(slave: number, table: RegisterTable, address: number, count: number): Buffer {
  if (count < 1 || count > MAX_READ_REGISTERS) throw new RangeError(`register count ${count} outside 1-${MAX_READ_REGISTERS}`);
  const pdu = Buffer.alloc(6);
  pdu[0] = slave;
  pdu[1] = FUNCTION_CODE[table];
  pdu.writeUInt16BE(address, 2);
  pdu.writeUInt16BE(count, 4);
  return withCrc(pdu);
}

export type ResponseMatch =
  | { kind: "registers"; registers: number[] }
  | { kind: "exception"; code: number }
  /** A complete frame with a valid CRC from another slave. */
  | { kind: "other-slave"; slave: number };

/**
 * Looks for the reply to (slave, fc, count) anywhere in the received bytes, so line garbage before a good frame
 * does not lose it. Only CRC-valid frames count.
 */
export function findResponse(rx: Buffer, slave: number, fc: number, count: number): ResponseMatch | undefined {
  const normalLen = 5 + 2 * count;
  let other: ResponseMatch | undefined;
  for (let i = 0; i + 5 <= rx.length; i++) {
    const id = rx[i];
    const f = rx[i + 1];
    if (f === fc && rx[i + 2] === 2 * count && i + normalLen <= rx.length && crcOk(rx, i, i + normalLen)) {
      if (id !== slave) {
        other ??= { kind: "other-slave", slave: id };
        continue;
      }
      const registers: number[] = [];
      for (let r = 0; r < count; r++) registers.push(rx.readUInt16BE(i + 3 + 2 * r));
      return { kind: "registers", registers };
    }
    if (f === (fc | 0x80) && crcOk(rx, i, i + 5)) {
      if (id !== slave) {
        other ??= { kind: "other-slave", slave: id };
        continue;
      }
      return { kind: "exception", code: rx[i + 2] };
    }
  }
  return other;
}

/** Why received bytes hold no usable reply: a damaged frame, a cut-off frame, or noise. */
export function classifyBadResponse(rx: Buffer, slave: number, fc: number, count: number): "crc" | "partial" | "garbage" {
  const normalLen = 5 + 2 * count;
  for (let i = 0; i + 2 <= rx.length; i++) {
    if (rx[i] !== slave) continue;
    if (rx[i + 1] === fc && (rx.length - i < 3 || rx[i + 2] === 2 * count)) return rx.length - i >= normalLen ? "crc" : "partial";
    if (rx[i + 1] === (fc | 0x80)) return rx.length - i >= 5 ? "crc" : "partial";
  }
  return "garbage";
}
