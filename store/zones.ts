import { TidemarkError } from '../common/errors.ts';
import type { Database } from './db.ts';
import { type Queryable, toQueryable } from './queryable.ts';
import { bumpDataVersion } from './sites.ts';

type Position = number[];

/** A zone outline as stored: GeoJSON in EPSG:4326 (a Polygon is stored as a one-part MultiPolygon, and altitudes are dropped). */
export type ZoneGeometry =
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] };

export interface Zone {
  id: number;
  siteId: number;
  siteSlug: string;
  name: string;
  /** Kind of farm or zone (column farm_type), e.g. "shrimp". */
  kind: string | null;
  externalId: string | null;
  /** Area in the site's metric CRS. */
  areaM2: number;
  properties: Record<string, unknown>;
  geometry: { type: 'MultiPolygon'; coordinates: Position[][][] };
  createdByKeyId: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewZone {
  siteId: number;
  name: string;
  kind?: string | null;
  externalId?: string | null;
  properties?: Record<string, unknown>;
  geometry: ZoneGeometry;
  createdByKeyId?: number | null;
}

export type ZonePatch = Partial<Pick<NewZone, 'name' | 'kind' | 'externalId' | 'properties' | 'geometry'>>;

const SELECT = `z.id, z.site_id AS "siteId", s.slug AS "siteSlug", z.name, z.farm_type AS kind,
  z.external_id AS "externalId", z.area_m2 AS "areaM2", z.properties,
  ST_AsGeoJSON(z.geom)::json AS geometry, z.created_by_key_id AS "createdByKeyId",
  z.created_at AS "createdAt", z.updated_at AS "updatedAt"`;

/**
 * Checks a geometry PostGIS is about to store: it must parse, and be valid (OGC rules: closed rings, no
 * self-intersection…). An invalid one is a 422 naming PostGIS's reason, checked before any write.
 */
async function assertValidGeometry(
  db: Queryable,
  geometry: ZoneGeometry,
  /** What the messages call it: in a batch, which zone. */
  subject = 'the zone geometry',
): Promise<void> {
  let row: { valid: boolean; reason: string } | undefined;
  try {
    // A savepoint, so that a geometry PostGIS refuses to parse fails this check, not the whole transaction.
    row = await db.transaction(async (sp) => {
      const { rows } = await sp.raw<{ rows: { valid: boolean; reason: string }[] }>(
        `SELECT ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason
         FROM (SELECT ST_GeomFromGeoJSON(?::text) AS g) q`,
        [JSON.stringify(geometry)],
      );
      return rows[0];
    });
  } catch {
    // PostGIS's parse message is not ours to show; the API checks the GeoJSON shape before we get here.
    throw new TidemarkError('INVALID_INPUT', `${subject} is not a GeoJSON polygon PostGIS can read`, {
      status: 422,
    });
  }
  if (!row?.valid) {
    throw new TidemarkError('INVALID_INPUT', `${subject} is not valid: ${row?.reason ?? 'unknown reason'}`, {
      status: 422,
    });
  }
}

function conflictOnExternalId(err: unknown, externalId: string | null | undefined): never {
  if ((err as { code?: string }).code === '23505') {
    throw new TidemarkError(
      'CONFLICT',
      `a zone with external id '${String(externalId)}' already exists in this site`,
    );
  }
  throw err;
}

export async function listZones(db: Queryable | Database, siteId: number): Promise<Zone[]> {
  const { rows } = await toQueryable(db).raw<{ rows: Zone[] }>(
    `SELECT ${SELECT} FROM aquaculture_zones z JOIN sites s ON s.id = z.site_id WHERE z.site_id = ? ORDER BY z.id`,
    [siteId],
  );
  return rows;
}

export async function getZone(db: Queryable | Database, id: number): Promise<Zone | null> {
  const { rows } = await toQueryable(db).raw<{ rows: Zone[] }>(
    `SELECT ${SELECT} FROM aquaculture_zones z JOIN sites s ON s.id = z.site_id WHERE z.id = ?`,
    [id],
  );
  return rows[0] ?? null;
}

/** Stores a zone (area measured in the site's CRS) and bumps the site's data version, in one transaction. */
export async function createZone(db: Database, zone: NewZone): Promise<Zone> {
  return (await createZones(db, zone.siteId, [zone]))[0]!;
}

/**
 * Stores several zones of one site in one transaction, all or none (an import, or the demo's sample farms),
 * and bumps the site's data version once. Every geometry is checked before anything is written.
 */
export async function createZones(
  db: Database,
  siteId: number,
  zones: readonly Omit<NewZone, 'siteId'>[],
): Promise<Zone[]> {
  if (zones.length === 0) return [];
  return db.knex.transaction(async (trx) => {
    for (const [i, zone] of zones.entries()) {
      const subject =
        zones.length === 1
          ? undefined
          : `zone ${i + 1} of ${zones.length} ('${zone.name}'): the zone geometry`;
      await assertValidGeometry(trx, zone.geometry, subject);
    }
    const ids: number[] = [];
    for (const zone of zones) ids.push(await insertZone(trx, siteId, zone));
    await bumpDataVersion(trx, siteId);
    const { rows } = await trx.raw<{ rows: Zone[] }>(
      `SELECT ${SELECT} FROM aquaculture_zones z JOIN sites s ON s.id = z.site_id WHERE z.id = ANY(?::integer[])
       ORDER BY z.id`,
      [`{${ids.join(',')}}`],
    );
    return rows;
  });
}

async function insertZone(trx: Queryable, siteId: number, zone: Omit<NewZone, 'siteId'>): Promise<number> {
  try {
    const { rows } = await trx.raw<{ rows: { id: number }[] }>(
      `INSERT INTO aquaculture_zones (site_id, name, farm_type, external_id, properties, geom, area_m2, created_by_key_id)
       SELECT s.id, ?, ?, ?, ?::jsonb, g.geom, ST_Area(ST_Transform(g.geom, s.epsg)), ?
       FROM sites s
       CROSS JOIN LATERAL (SELECT ST_Multi(ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(?::text), 4326))) AS geom) g
       WHERE s.id = ?
       RETURNING id`,
      [
        zone.name,
        zone.kind ?? null,
        zone.externalId ?? null,
        JSON.stringify(zone.properties ?? {}),
        zone.createdByKeyId ?? null,
        JSON.stringify(zone.geometry),
        siteId,
      ],
    );
    if (!rows[0]) throw new TidemarkError('NOT_FOUND', `site #${siteId} does not exist`);
    return rows[0].id;
  } catch (err) {
    conflictOnExternalId(err, zone.externalId);
  }
}

/** Changes the given fields of a zone (null when there is none with that id) and bumps its site's version. */
export async function updateZone(db: Database, id: number, patch: ZonePatch): Promise<Zone | null> {
  return db.knex.transaction(async (trx) => {
    const current = await getZone(trx, id);
    if (!current) return null;
    if (patch.geometry !== undefined) await assertValidGeometry(trx, patch.geometry);
    try {
      await trx.raw(
        `UPDATE aquaculture_zones z SET
           name = coalesce(?, z.name),
           farm_type = CASE WHEN ? THEN ? ELSE z.farm_type END,
           external_id = CASE WHEN ? THEN ? ELSE z.external_id END,
           properties = coalesce(?::jsonb, z.properties),
           geom = coalesce(ST_Multi(ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(?::text), 4326))), z.geom),
           updated_at = now()
         WHERE z.id = ?`,
        [
          patch.name ?? null,
          patch.kind !== undefined,
          patch.kind ?? null,
          patch.externalId !== undefined,
          patch.externalId ?? null,
          patch.properties === undefined ? null : JSON.stringify(patch.properties),
          patch.geometry === undefined ? null : JSON.stringify(patch.geometry),
          id,
        ],
      );
    } catch (err) {
      conflictOnExternalId(err, patch.externalId);
    }
    await trx.raw(
      `UPDATE aquaculture_zones z SET area_m2 = ST_Area(ST_Transform(z.geom, s.epsg))
       FROM sites s WHERE s.id = z.site_id AND z.id = ?`,
      [id],
    );
    await bumpDataVersion(trx, current.siteId);
    return getZone(trx, id);
  });
}

/** Deletes a zone (its assessments and observations go with it); false when there was none. */
export async function deleteZone(db: Database, id: number): Promise<boolean> {
  return db.knex.transaction(async (trx) => {
    const rows = (await trx('aquaculture_zones').where({ id }).delete().returning('site_id')) as {
      site_id: number;
    }[];
    const siteId = rows[0]?.site_id;
    if (siteId === undefined) return false;
    await bumpDataVersion(trx, siteId);
    return true;
  });
}
