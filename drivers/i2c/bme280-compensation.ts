// Bosch BME280 integer compensation, as given in the datasheet (BST-BME280-DS002, section 4.2.3 and 8.1/8.2):
// temperature in 0.01 degC (32-bit), pressure in Q24.8 Pa (64-bit), humidity in Q22.10 %RH (32-bit).
// The datasheet's C uses fixed-width integers; Math.imul and >> reproduce 32-bit arithmetic, BigInt the 64-bit one.

export interface Bme280Calibration {
  T1: number; T2: number; T3: number;
  P1: number; P2: number; P3: number; P4: number; P5: number; P6: number; P7: number; P8: number; P9: number;
  H1: number; H2: number; H3: number; H4: number; H5: number; H6: number;
}

const s16 = (lo: number, hi: number): number => ((hi << 24) >> 16) | lo;
const u16 = (lo: number, hi: number): number => (hi << 8) | lo;
const s8 = (v: number): number => (v << 24) >> 24;

/** Section 4.2.2, Table 16: 0x88..0xA1 (26 bytes) and 0xE1..0xE7 (7 bytes). */
export function parseCalibration(a: Uint8Array, b: Uint8Array): Bme280Calibration {
  return {
    T1: u16(a[0], a[1]), T2: s16(a[2], a[3]), T3: s16(a[4], a[5]),
    P1: u16(a[6], a[7]), P2: s16(a[8], a[9]), P3: s16(a[10], a[11]), P4: s16(a[12], a[13]), P5: s16(a[14], a[15]),
    P6: s16(a[16], a[17]), P7: s16(a[18], a[19]), P8: s16(a[20], a[21]), P9: s16(a[22], a[23]),
    H1: a[25],
    H2: s16(b[0], b[1]),
    H3: b[2],
    // dig_H4 = 0xE4[7:0] << 4 | 0xE5[3:0]; dig_H5 = 0xE6[7:0] << 4 | 0xE5[7:4]; both signed 12-bit via the MSB byte.
    H4: (s8(b[3]) * 16) | (b[4] & 0x0f),
    H5: (s8(b[5]) * 16) | (b[4] >> 4),
    H6: s8(b[6]),
  };
}

/** The inverse of parseCalibration, for the emulator. */
export function serializeCalibration(c: Bme280Calibration): { a: Uint8Array; b: Uint8Array } {
  const a = new Uint8Array(26);
  const put = (i: number, v: number): void => { a[i] = v & 0xff; a[i + 1] = (v >> 8) & 0xff; };
  [c.T1, c.T2, c.T3, c.P1, c.P2, c.P3, c.P4, c.P5, c.P6, c.P7, c.P8, c.P9].forEach((v, i) => put(i * 2, v));
  a[25] = c.H1;
  const b = Uint8Array.of(c.H2 & 0xff, (c.H2 >> 8) & 0xff, c.H3, (c.H4 >> 4) & 0xff, (c.H4 & 0x0f) | ((c.H5 & 0x0f) << 4), (c.H5 >> 4) & 0xff, c.H6 & 0xff);
  return { a, b };
}

/** Returns [temperature in 0.01 degC, t_fine]. Datasheet "BME280_compensate_T_int32". */
export function compensateTemperature(adcT: number, c: Bme280Calibration): [number, number] {
  const var1 = Math.imul((adcT >> 3) - (c.T1 << 1), c.T2) >> 11;
  const d = (adcT >> 4) - c.T1;
  const var2 = Math.imul(Math.imul(d, d) >> 12, c.T3) >> 14;
  const tFine = (var1 + var2) | 0;
  return [(Math.imul(tFine, 5) + 128) >> 8, tFine];
}

/** Pressure in Pa as Q24.8 (divide by 256). Datasheet "BME280_compensate_P_int64". */
export function compensatePressure(adcP: number, tFine: number, c: Bme280Calibration): number {
  const i64 = (v: bigint): bigint => BigInt.asIntN(64, v);
  let var1 = BigInt(tFine) - 128000n;
  let var2 = i64(var1 * var1 * BigInt(c.P6));
  var2 = i64(var2 + ((var1 * BigInt(c.P5)) << 17n));
  var2 = i64(var2 + (BigInt(c.P4) << 35n));
  var1 = i64(((var1 * var1 * BigInt(c.P3)) >> 8n) + ((var1 * BigInt(c.P2)) << 12n));
  var1 = i64(((1n << 47n) + var1) * BigInt(c.P1)) >> 33n;
  if (var1 === 0n) return 0; // avoids a division by zero, as the datasheet does
  let p = 1048576n - BigInt(adcP);
  p = i64((((p << 31n) - var2) * 3125n) / var1);
  var1 = i64((BigInt(c.P9) * (p >> 13n) * (p >> 13n)) >> 25n);
  var2 = i64((BigInt(c.P8) * p) >> 19n);
  p = ((p + var1 + var2) >> 8n) + (BigInt(c.P7) << 4n);
  return Number(p);
}

/** Humidity in %RH as Q22.10 (divide by 1024). Datasheet "bme280_compensate_H_int32". */
export function compensateHumidity(adcH: number, tFine: number, c: Bme280Calibration): number {
  let v = (tFine - 76800) | 0;
  const a = ((((adcH << 14) - (c.H4 << 20) - Math.imul(c.H5, v)) + 16384) >> 15);
  const b = (((((Math.imul(v, c.H6) >> 10) * (((Math.imul(v, c.H3) >> 11) + 32768)) >> 10) + 2097152) * c.H2 + 8192) >> 14);
  v = Math.imul(a, b);
  v = v - ((Math.imul(Math.imul(v >> 15, v >> 15) >> 7, c.H1)) >> 4);
  v = v < 0 ? 0 : v;
  v = v > 419430400 ? 419430400 : v;
  return v >> 12;
}
