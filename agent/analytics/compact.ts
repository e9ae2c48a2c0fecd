// Rounding for what goes upstream: four significant digits are more than any accelerometer resolves, and they keep
// a features record at a few dozen bytes once encoded.

export function sig4(v: number): number {
  if (!Number.isFinite(v) || v === 0) return 0;
  return Number(v.toPrecision(4));
}
