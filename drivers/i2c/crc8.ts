// Sensirion CRC-8 (SHT3x-DIS and SHT4x datasheets, "Checksum Calculation"): polynomial 0x31 (x^8+x^5+x^4+1),
// init 0xFF, no reflection, no final XOR. Example from the datasheet: CRC(0xBEEF) = 0x92.
// Hand-written: eight lines, and no maintained npm package implements exactly this variant without pulling more.

const TABLE = (() => {
  const t = new Uint8Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let b = 0; b < 8; b++) c = c & 0x80 ? ((c << 1) ^ 0x31) & 0xff : (c << 1) & 0xff;
    t[i] = c;
  }
  return t;
})();

export function sensirionCrc8(data: ArrayLike<number>, start = 0, length = data.length - start): number {
  let crc = 0xff;
  for (let i = start; i < start + length; i++) crc = TABLE[crc ^ data[i]];
  return crc;
}
