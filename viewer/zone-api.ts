import {
  asRecord,
  getJson,
  numberOrNull,
  requiredNumber,
  requiredString,
  stringOrNull,
} from './http-json.ts';

/** The risk attributes a zone carries in the `zones` vector tile (store/tiles/vector-layers.ts). */
export interface ZoneTileRisk {
  id: number;
  name: string | null;
  farmType: string | null;
  areaM2: number | null;
  /** Null: the zone has not been assessed against an analysis yet. */
  riskClass: string | null;
  distanceToShorelineM: number | null;
  yearsToImpact: number | null;
}

/** A zone as `GET /api/zones/{id}` returns it (api/routes/zones.ts), reduced to what the panel shows. */
export interface ZoneDetail {
  id: number;
  site: string;
  name: string;
  kind: string | null;
  externalId: string | null;
  areaM2: number | null;
}

function tileNumber(properties: Record<string, unknown>, key: string): number | null {
  const value = properties[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function tileString(properties: Record<string, unknown>, key: string): string | null {
  const value = properties[key];
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * A zone tile feature's attributes. MVT drops null attributes, so a missing one is "not known", never an
 * error; only the id is required (it names the zone for the API).
 */
export function zoneRiskFromTile(properties: Record<string, unknown>): ZoneTileRisk {
  const id = tileNumber(properties, 'id');
  if (id === null || !Number.isSafeInteger(id)) throw new Error('zone feature has no integer id');
  return {
    id,
    name: tileString(properties, 'name'),
    farmType: tileString(properties, 'farm_type'),
    areaM2: tileNumber(properties, 'area_m2'),
    riskClass: tileString(properties, 'risk_class'),
    distanceToShorelineM: tileNumber(properties, 'distance_to_shoreline_m'),
    yearsToImpact: tileNumber(properties, 'years_to_impact'),
  };
}

export function parseZoneDetail(json: unknown): ZoneDetail {
  const feature = asRecord(json, 'zone');
  const properties = asRecord(feature.properties, 'zone.properties');
  return {
    id: requiredNumber(feature, 'id', 'zone'),
    site: requiredString(properties, 'site', 'zone'),
    name: requiredString(properties, 'name', 'zone'),
    kind: stringOrNull(properties, 'kind', 'zone'),
    externalId: stringOrNull(properties, 'externalId', 'zone'),
    areaM2: numberOrNull(properties, 'areaM2', 'zone'),
  };
}

export async function fetchZone(id: number, signal?: AbortSignal): Promise<ZoneDetail> {
  if (!Number.isSafeInteger(id) || id < 1) throw new Error(`not a zone id: ${String(id)}`);
  return parseZoneDetail(await getJson(`api/zones/${id}`, signal ? { signal } : {}));
}
