// Rounding for the diagnosis events: four significant digits are more than any accelerometer resolves, and they keep
// the JSON of an event short.

export function sig4(v: number): number {
  if (!Number.isFinite(v) || v === 0) return 0;
  return Number(v.toPrecision(4));
}
