// RTU timing. MODBUS over Serial Line V1.02, section 2.5.1.1: frames are separated by at least 3.5 character times
// of silence; above 19200 baud fixed values are used (t3.5 = 1.750 ms, t1.5 = 0.750 ms).

export interface LineSettings {
  baudRate: number;
  dataBits: 7 | 8;
  parity: "none" | "even" | "odd";
  stopBits: 1 | 2;
}

/** Bits on the wire per character: start + data + parity + stop. */
export function bitsPerChar(s: LineSettings): number {
  return 1 + s.dataBits + (s.parity === "none" ? 0 : 1) + s.stopBits;
}

/** Inter-frame silence t3.5 in milliseconds. */
export function t35Ms(s: LineSettings): number {
  if (s.baudRate > 19200) return 1.75;
  return (3.5 * bitsPerChar(s) * 1000) / s.baudRate;
}

/** Time to send `bytes` characters, in milliseconds. */
export function txMs(s: LineSettings, bytes: number): number {
  return (bytes * bitsPerChar(s) * 1000) / s.baudRate;
}
