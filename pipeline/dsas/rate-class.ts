/** DSAS-style rate classes (negative = erosion). */
export type RateClass = 'critical_erosion' | 'erosion' | 'stable' | 'accretion';

/**
 * Classifies a rate (m/yr): critical erosion below −1, erosion from −1 to −0.5, stable from −0.5 to 0.5,
 * accretion above 0.5. A boundary value falls in the milder class (−1 is erosion, ±0.5 is stable).
 */
export function rateClass(rateMPerYr: number): RateClass {
  if (rateMPerYr < -1) return 'critical_erosion';
  if (rateMPerYr < -0.5) return 'erosion';
  if (rateMPerYr <= 0.5) return 'stable';
  return 'accretion';
}
