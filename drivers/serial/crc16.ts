// CRC-16/MODBUS: initial value 0xFFFF, reflected polynomial 0xA001, low byte sent first.
// MODBUS over Serial Line Specification and Implementation Guide V1.02, section 6.2.2 ("CRC Generation").
// Hand-written because it is eight lines and every Modbus library bundles its own serial stack with it.

export function crc16Modbus(data: Uint8Array, start = 0, end = data.length): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) {
    crc ^= data[i];
    for (let b = 0; b < 8; b++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

/** Appends the CRC, low byte first. */
export function withCrc(pdu: Uint8Array): Buffer {
  const out = Buffer.alloc(pdu.length + 2);
  out.set(pdu);
  out.writeUInt16LE(crc16Modbus(pdu), pdu.length);
  return out;
}

/** True when the last two bytes of buf[start, end) are the CRC of the bytes before them. */
export function crcOk(buf: Uint8Array, start: number, end: number): boolean {
  if (end - start < 4) return false;
  return crc16Modbus(buf, start, end - 2) === (buf[end - 2] | (buf[end - 1] << 8));
}
