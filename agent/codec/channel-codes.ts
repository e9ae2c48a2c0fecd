// The one-nibble codes of channel names and units in a version 2 frame header (docs/wire-format.md has the same
// tables). Part of the format: a code never changes meaning; a new entry needs a new format version.

/** Unit codes 1-15; code 0 means the unit follows as a string. */
export const UNIT_CODES: readonly string[] = ["", "", "degC", "%RH", "Pa", "hPa", "g", "m/s2", "mm/s", "rpm", "Hz", "ppm", "V", "A", "W", "%"];

/** Name codes 2-15; 0: the name follows as a string; 1: the last level of the stream name (full header only). */
export const NAME_CODES: readonly string[] = ["", "", "temperature", "humidity", "pressure", "x", "y", "z", "value", "zone", "voltage", "current", "power", "energy", "co2", "count"];

export const CODE_STRING = 0;
export const NAME_FROM_STREAM = 1;

/** The code of a unit, or CODE_STRING when it is not in the table. */
export function unitCode(unit: string): number {
  const i = UNIT_CODES.indexOf(unit, 1);
  return i < 0 ? CODE_STRING : i;
}

/** The code of a channel name; with the stream name known to the decoder, its last level may stand for it. */
export function nameCode(name: string, stream: string | undefined): number {
  const i = NAME_CODES.indexOf(name, 2);
  if (i >= 0) return i;
  if (stream !== undefined && name !== "" && lastLevel(stream) === name) return NAME_FROM_STREAM;
  return CODE_STRING;
}

export function lastLevel(stream: string): string {
  return stream.slice(stream.lastIndexOf("/") + 1);
}
