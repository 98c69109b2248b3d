import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Area of use in degrees. */
export interface AreaOfUse {
  south: number;
  west: number;
  north: number;
  east: number;
}

/** One CRS of the EPSG dataset, as the epsg-index package (epsg.io's export of it) records it. */
export interface EpsgCrs {
  code: number;
  name: string;
  kind: 'projected' | 'geographic';
  /** epsg.io's proj4 definition. Its datum part (+towgs84, +nadgrids) is not to be trusted: see datum-shift.ts. */
  proj4: string;
  /** The geographic CRS the coordinates are based on (the CRS itself when geographic), when WKT names it. */
  geographicCode: number | null;
  /** Its name: what the CRS's name says before " / " when the index has no WKT. */
  geographicName: string;
  /** Name of the datum, for messages. */
  datumName: string;
  /** Whether that geographic CRS is on the WGS 84 or GRS 1980 ellipsoid (they differ by 0.1 mm). */
  wgs84Ellipsoid: boolean;
  areaOfUse: AreaOfUse | null;
  /** The unit of its coordinates as the index names it ('degree', 'grad', 'metre'…), or null. */
  unit: string | null;
}

interface IndexEntry {
  code: string;
  kind: string;
  name: string;
  wkt: string | null;
  proj4: string | null;
  bbox: number[] | null;
  unit?: string | null;
}

const loaded = new Map<number, EpsgCrs | null>();

/**
 * The EPSG CRS with this code, or null when the index has none (an unknown or deprecated code, or a kind of
 * CRS other than projected or geographic 2D). Each code is a file of its own in epsg-index (about 2 kB), read
 * on first use: the whole index is 8 MB of JSON that no scene needs.
 */
export function epsgCrs(code: number): EpsgCrs | null {
  if (!Number.isInteger(code) || code <= 0) return null;
  let crs = loaded.get(code);
  if (crs === undefined) {
    crs = readEntry(code);
    loaded.set(code, crs);
  }
  return crs;
}

function readEntry(code: number): EpsgCrs | null {
  let entry: IndexEntry;
  try {
    entry = JSON.parse(readFileSync(require.resolve(`epsg-index/s/${code}.json`), 'utf8')) as IndexEntry;
  } catch {
    return null;
  }
  const kind =
    entry.kind === 'CRS-PROJCRS' ? 'projected' : entry.kind === 'CRS-GEOGCRS' ? 'geographic' : null;
  if (!kind || !entry.proj4) return null;
  const geogcs = entry.wkt ? wktNode(entry.wkt, 'GEOGCS') : null;
  const spheroid = geogcs ? /SPHEROID\["[^"]*",([0-9.eE+-]+),([0-9.eE+-]+)/.exec(geogcs) : null;
  const a = Number(spheroid?.[1]);
  const rf = Number(spheroid?.[2]);
  const [north, west, south, east] = entry.bbox ?? [];
  const geographicName = kind === 'geographic' ? entry.name : entry.name.split(' / ')[0]!;
  return {
    code,
    name: entry.name,
    kind,
    proj4: entry.proj4,
    geographicCode: kind === 'geographic' ? code : geogcs ? ownAuthority(geogcs) : null,
    geographicName,
    datumName: (geogcs && /DATUM\["([^"]*)"/.exec(geogcs)?.[1]) || geographicName,
    wgs84Ellipsoid: spheroid
      ? a === 6378137 && Math.abs(rf - 298.2572) < 1e-3
      : /\+(ellps|datum)=(WGS84|GRS80|NAD83)\b/.test(entry.proj4),
    areaOfUse: [north, west, south, east].every((v) => typeof v === 'number' && Number.isFinite(v))
      ? { south: south!, west: west!, north: north!, east: east! }
      : null,
    unit: typeof entry.unit === 'string' ? entry.unit : null,
  };
}

/** The first `NAME[...]` node of a WKT1 string, brackets matched. */
function wktNode(wkt: string, name: string): string | null {
  const start = wkt.indexOf(`${name}[`);
  if (start < 0) return null;
  let depth = 0;
  for (let i = start + name.length; i < wkt.length; i++) {
    const c = wkt[i];
    if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return wkt.slice(start, i + 1);
  }
  return null;
}

/** The EPSG code in a WKT node's own AUTHORITY (a direct child, not a nested node's). */
function ownAuthority(node: string): number | null {
  let depth = 0;
  for (let i = 0; i < node.length; i++) {
    const c = node[i];
    if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (depth === 1 && node.startsWith('AUTHORITY["EPSG","', i)) {
      return Number(/^AUTHORITY\["EPSG","(\d+)"\]/.exec(node.slice(i))?.[1] ?? Number.NaN) || null;
    }
  }
  return null;
}
