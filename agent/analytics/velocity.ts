// Velocity RMS from acceleration by integration in the frequency domain.
import { bandBins, bandNormalised, type Spectrum } from "./spectrum.js";

export const STANDARD_GRAVITY = 9.80665; // m/s^2 per g (CGPM 1901)

/**
 * RMS velocity in mm/s over [loHz, hiHz] of an acceleration spectrum in g. Integration divides each bin by
 * j*omega, so its power is divided by omega^2; bins outside the band are dropped (the high-pass that keeps the
 * 1/omega gain from blowing up near DC). ISO 10816-3 measures over 10-1000 Hz for machines above 600 rpm.
 */
export function velocityRmsMmS(accelG: Spectrum, loHz = 10, hiHz = 1000): number {
  const [kLo, kHi] = bandBins(accelG, loHz, hiHz);
  let acc = 0;
  for (let k = kLo; k <= kHi; k++) acc += accelG.power[k] * (1 / (2 * Math.PI * (k * accelG.df)) ** 2);
  const ms = bandNormalised(accelG, acc);
  return Math.sqrt(ms) * STANDARD_GRAVITY * 1000;
}
