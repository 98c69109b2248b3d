/**
 * Shared shapes of the DSAS computations. Every coordinate here is in the site's metric CRS (metres); the
 * caller projects before and after. Distances along a transect are signed: positive is seaward of the
 * baseline, so a shoreline moving landward gives a negative rate (the DSAS convention: negative = erosion).
 */

/** A point [x, y] in metres. */
export type XY = readonly [number, number];

/** A polyline of metric points. */
export type LineXY = readonly XY[];

/** One connected piece of a shoreline; a shoreline may come in many pieces, in any order. */
export interface ShorelinePiece {
  readonly coordinates: LineXY;
  /** Positional uncertainty U of this piece (DSAS `uncertainty_m`), metres, > 0. */
  readonly uncertaintyM: number;
}

/** All the pieces of the shoreline of one date. */
export interface DatedShoreline {
  /** The date as given (ISO 8601), for reports. */
  readonly date: string;
  /** The same date as a decimal year (see `decimalYear`). */
  readonly yearDecimal: number;
  readonly pieces: readonly ShorelinePiece[];
}

/**
 * A transect: a ray from `origin` along the unit seaward direction `dir`. Crossings count where the signed
 * distance s from the origin lies in [sMinM, sMaxM]; cast transects from an onshore baseline use [0, length].
 */
export interface Transect {
  /** 1-based, ordered along the baseline (or the order of the user's file). */
  readonly id: number;
  readonly origin: XY;
  /** Unit vector pointing seaward. */
  readonly dir: XY;
  readonly sMinM: number;
  readonly sMaxM: number;
  /** Which part of a multi-part baseline the transect was cast from (0 for user transects). */
  readonly baselinePart: number;
}

/** Which crossing counts when a transect crosses one shoreline more than once (DSAS default: seaward). */
export type IntersectionRule = 'seaward' | 'landward';

/** One shoreline position on one transect. */
export interface TransectObservation {
  readonly yearDecimal: number;
  /** Signed distance from the baseline along the transect, metres (positive seaward). */
  readonly distanceM: number;
  readonly uncertaintyM: number;
}
