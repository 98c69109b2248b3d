import { describe, expect, it } from 'vitest';
import type { ZoneDetail, ZoneTileRisk } from './zone-api.ts';
import { FIGURES_NOT_SERVED_TEXT, RISK_NOT_ASSESSED_TEXT, zoneDetailRows } from './zone-panel.ts';

const unassessed: ZoneTileRisk = {
  id: 9,
  name: 'Pond 9',
  farmType: 'shrimp',
  areaM2: 12_000,
  riskClass: null,
  distanceToShorelineM: null,
  yearsToImpact: null,
};
const detail: ZoneDetail = {
  id: 9,
  site: 'ca-mau',
  name: 'Pond 9',
  kind: 'shrimp pond',
  externalId: 'F-9',
  areaM2: 12_345,
};

describe('zoneDetailRows', () => {
  it('shows a zone not assessed without risk rows or placeholders (regression: "not provided by the API")', () => {
    const rows = zoneDetailRows(unassessed, detail);
    expect(rows.map((r) => r.stat)).toEqual(['area', 'kind', 'external-id']);
    expect(rows.map((r) => r.value)).toEqual(['1.23 ha', 'shrimp pond', 'F-9']);
    for (const row of rows) expect(row.value).not.toMatch(/not provided|^—$/);
    // The one line said instead names what is missing and why.
    expect(RISK_NOT_ASSESSED_TEXT).toMatch(
      /not compute.*risk class, distance to the shoreline, years to impact/,
    );
    expect(`${RISK_NOT_ASSESSED_TEXT} ${FIGURES_NOT_SERVED_TEXT}`).not.toContain('API');
  });

  it('keeps the figures of an assessment as the tile gives them', () => {
    const assessed = { ...unassessed, riskClass: 'high', distanceToShorelineM: 52.5, yearsToImpact: 3 };
    const rows = zoneDetailRows(assessed, detail);
    expect(rows.slice(0, 2)).toEqual([
      { stat: 'distance', label: 'Distance to the shoreline', value: '52.5 m', raw: 52.5 },
      { stat: 'years-to-impact', label: 'Years to impact', value: '3.0 years', raw: 3 },
    ]);
    const beyond = zoneDetailRows({ ...assessed, yearsToImpact: null }, detail);
    expect(beyond[1]?.value).toBe('not within the forecast horizon');
  });

  it('falls back on the tile when the zone could not be loaded', () => {
    const rows = zoneDetailRows(unassessed, null);
    expect(rows).toEqual([
      { stat: 'area', label: 'Area', value: '1.20 ha', raw: 12_000 },
      { stat: 'kind', label: 'Farm type', value: 'shrimp' },
    ]);
  });

  it('leaves its inputs unchanged', () => {
    const risk = { ...unassessed };
    const zone = { ...detail };
    zoneDetailRows(risk, zone);
    expect(risk).toEqual(unassessed);
    expect(zone).toEqual(detail);
  });
});
