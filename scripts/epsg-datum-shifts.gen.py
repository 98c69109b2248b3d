#!/usr/bin/env python3
"""Writes sources/epsg-datum-shifts.ts: for each EPSG geographic CRS, the Helmert transformations to WGS 84
(EPSG:4326) of the EPSG dataset, in the order PROJ ranks them, as proj4 +towgs84 parameters.

Source: the EPSG dataset as PROJ ships it (proj.db, here PROJ 9.1.1 / EPSG v10.076, the one GDAL 3.6 uses),
read with sqlite3; the ranking is projinfo's. Regenerate (needs python3 and PROJ's projinfo):

    python3 scripts/epsg-datum-shifts.gen.py /usr/share/proj/proj.db > sources/epsg-datum-shifts.ts
    npx biome check --write sources/epsg-datum-shifts.ts
"""
import json
import math
import sqlite3
import subprocess
import sys

DB = sys.argv[1] if len(sys.argv) > 1 else '/usr/share/proj/proj.db'
db = sqlite3.connect(DB)
meta = dict(db.execute('SELECT key, value FROM metadata').fetchall())

# Unit code -> factor to metres, radians or unity.
FACTOR = {str(c): f for c, f in db.execute("SELECT code, conv_factor FROM unit_of_measure WHERE auth_name = 'EPSG'")}
ARCSEC_PER_RADIAN = 180 / math.pi * 3600
POSITION_VECTOR = '9606'
COORDINATE_FRAME = '9607'
TRANSLATIONS = '9603'

rows = db.execute(
    """
    SELECT h.code, h.source_crs_code, h.accuracy, h.method_code, h.tx, h.ty, h.tz, h.translation_uom_code,
           h.rx, h.ry, h.rz, h.rotation_uom_code, h.scale_difference, h.scale_difference_uom_code,
           e.south_lat, e.west_lon, e.north_lat, e.east_lon
    FROM helmert_transformation h
    JOIN usage u ON u.object_table_name = 'helmert_transformation' AND u.object_auth_name = h.auth_name
         AND u.object_code = h.code
    JOIN extent e ON e.auth_name = u.extent_auth_name AND e.code = u.extent_code
    WHERE h.auth_name = 'EPSG' AND h.source_crs_auth_name = 'EPSG' AND h.target_crs_auth_name = 'EPSG'
      AND h.target_crs_code = '4326' AND h.deprecated = 0 AND h.rate_tx IS NULL
      AND h.method_code IN (?, ?, ?)
    """,
    (TRANSLATIONS, POSITION_VECTOR, COORDINATE_FRAME),
).fetchall()

helmerts = {}
for r in rows:
    code, src, acc, method, tx, ty, tz, tu, rx, ry, rz, ru, ds, du, s, w, n, e = r
    t = FACTOR[str(tu)]
    params = [tx * t, ty * t, tz * t]
    if str(method) != TRANSLATIONS and rx is not None:
        a = FACTOR[str(ru)] * ARCSEC_PER_RADIAN
        sign = -1 if str(method) == COORDINATE_FRAME else 1  # +towgs84 takes the position vector convention
        params += [sign * rx * a, sign * ry * a, sign * rz * a, ds * FACTOR[str(du)] * 1e6]
    params = [round(v, 10) for v in params]
    helmerts[str(code)] = (str(src), acc, [s, w, n, e], params)

geog = db.execute(
    """
    SELECT code, datum_code, name FROM geodetic_crs
    WHERE auth_name = 'EPSG' AND type = 'geographic 2D' AND deprecated = 0
    """
).fetchall()
sources = {h[0] for h in helmerts.values()}

# A geographic CRS on a prime meridian other than Greenwich (NTF (Paris), Monte Mario (Rome), …) reaches WGS 84
# in EPSG by a longitude rotation to its Greenwich twin, then the twin's transformations; proj4 applies +pm
# before +towgs84 (which is geocentric), so the twin's parameters serve as they are.
greenwich_twin = {
    str(src): str(dst)
    for src, dst in db.execute(
        """
        SELECT o.source_crs_code, o.target_crs_code FROM other_transformation o
        JOIN geodetic_crs s ON s.auth_name = 'EPSG' AND s.code = o.source_crs_code
        JOIN geodetic_datum sd ON sd.auth_name = 'EPSG' AND sd.code = s.datum_code
        JOIN geodetic_crs t ON t.auth_name = 'EPSG' AND t.code = o.target_crs_code
        JOIN geodetic_datum td ON td.auth_name = 'EPSG' AND td.code = t.datum_code
        WHERE o.auth_name = 'EPSG' AND o.method_code = '9601' AND o.deprecated = 0
          AND sd.prime_meridian_code != '8901' AND td.prime_meridian_code = '8901'
        """
    )
}


def ranked(code):
    """The Helmert transformations of `code` to WGS 84, in projinfo's order (the order GDAL tries them)."""
    out = subprocess.run(
        ['projinfo', '-s', f'EPSG:{code}', '-t', 'EPSG:4326', '--spatial-test', 'intersects', '--summary'],
        capture_output=True, text=True, check=True,
    ).stdout
    order = []
    for line in out.splitlines():
        if line.startswith('EPSG:'):
            op = line.split(',', 1)[0][len('EPSG:'):]
            if op in helmerts and helmerts[op][0] == code:
                order.append(op)
    return order


def num(v):
    if v is None:
        return 'null'
    s = repr(float(v))
    return s[:-2] if s.endswith('.0') else s


lines = []
for code, datum, name in sorted(geog, key=lambda g: int(g[0])):
    via = str(code) if str(code) in sources else greenwich_twin.get(str(code))
    if via not in sources:
        continue
    ops = ranked(via)
    if not ops:
        continue
    cells = []
    for op in ops:
        _, acc, box, params = helmerts[op]
        cells.append('[' + ', '.join([op, num(acc)] + [num(v) for v in box + params]) + ']')
    note = '' if via == str(code) else f' (through EPSG:{via} on the Greenwich meridian)'
    lines.append(f'  // {name}{note}\n  [{code}, {datum}, {json.dumps(name, ensure_ascii=False)}, [{", ".join(cells)}]],')

print(f"""// Generated by scripts/epsg-datum-shifts.gen.py from the EPSG dataset {meta['EPSG.VERSION']} ({meta['EPSG.DATE']}) as shipped
// in PROJ {meta['PROJ.VERSION']}: do not edit; regenerate as that script says.

/**
 * One Helmert transformation to WGS 84: its EPSG code, its accuracy in metres (null when EPSG states none),
 * its extent (south, west, north, east in degrees) and its proj4 +towgs84 parameters (metres, arc-seconds in
 * the position-vector convention, ppm).
 */
export type DatumShift = [
  code: number,
  accuracyM: number | null,
  south: number,
  west: number,
  north: number,
  east: number,
  ...towgs84: number[],
];

/** Geographic CRS code, its datum code, its name, and its transformations to WGS 84 in PROJ's order. */
export const EPSG_DATUM_SHIFTS: [geographicCrs: number, datum: number, name: string, shifts: DatumShift[]][] = [
{chr(10).join(lines)}
];""")
