// Rolling-element bearing defect frequencies from geometry (standard kinematic formulas, no slip).

export interface BearingGeometry {
  balls: number;
  /** Ball and pitch diameters in the same unit (any). */
  ballDiameter: number;
  pitchDiameter: number;
  contactAngleDeg: number;
}

export type FaultKind = "bpfo" | "bpfi" | "bsf" | "ftf";

/** Defect frequencies as multiples of the shaft speed (orders). */
export type FaultOrders = Record<FaultKind, number>;

export function faultOrders(g: BearingGeometry): FaultOrders {
  const r = (g.ballDiameter / g.pitchDiameter) * Math.cos((g.contactAngleDeg * Math.PI) / 180);
  return {
    bpfo: (g.balls / 2) * (1 - r),
    bpfi: (g.balls / 2) * (1 + r),
    bsf: (g.pitchDiameter / (2 * g.ballDiameter)) * (1 - r * r),
    ftf: (1 - r) / 2,
  };
}

export function faultFrequencies(g: BearingGeometry, shaftHz: number): FaultOrders {
  const o = faultOrders(g);
  return { bpfo: o.bpfo * shaftHz, bpfi: o.bpfi * shaftHz, bsf: o.bsf * shaftHz, ftf: o.ftf * shaftHz };
}
