// Evaluation zones of ISO 10816-3 for broadband velocity RMS.
//
// Source: ISO 10816-3:2009, Annex A, Table A.1 (group 1: large machines, 300 kW to 50 MW) and Table A.2
// (group 2: medium machines, 15 kW to 300 kW), zone boundaries in mm/s RMS, measured 10-1000 Hz (above 600 rpm).
//   group 1 rigid:    A/B 2.3  B/C 4.5  C/D 7.1
//   group 1 flexible: A/B 3.5  B/C 7.1  C/D 11.0
//   group 2 rigid:    A/B 1.4  B/C 2.8  C/D 4.5
//   group 2 flexible: A/B 2.3  B/C 4.5  C/D 7.1
// Zone A: newly commissioned; B: unrestricted long-term operation; C: restricted, plan action; D: damage likely.

export type IsoZone = "A" | "B" | "C" | "D";
export type MachineGroup = 1 | 2;
export type Foundation = "rigid" | "flexible";

const BOUNDARIES: Record<MachineGroup, Record<Foundation, readonly [number, number, number]>> = {
  1: { rigid: [2.3, 4.5, 7.1], flexible: [3.5, 7.1, 11.0] },
  2: { rigid: [1.4, 2.8, 4.5], flexible: [2.3, 4.5, 7.1] },
};

export function zoneBoundaries(group: MachineGroup, foundation: Foundation): readonly [number, number, number] {
  return BOUNDARIES[group][foundation];
}

/** A value on a boundary belongs to the upper zone (the boundary is where the next zone starts). */
export function isoZone(velocityRmsMmS: number, group: MachineGroup, foundation: Foundation): IsoZone {
  const [ab, bc, cd] = BOUNDARIES[group][foundation];
  if (velocityRmsMmS < ab) return "A";
  if (velocityRmsMmS < bc) return "B";
  if (velocityRmsMmS < cd) return "C";
  return "D";
}

export function zoneRank(z: IsoZone): number {
  return "ABCD".indexOf(z);
}

export function worstZone(zones: IsoZone[]): IsoZone {
  return zones.reduce<IsoZone>((w, z) => (zoneRank(z) > zoneRank(w) ? z : w), "A");
}
