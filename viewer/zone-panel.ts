import { definitionList } from './details-panel.ts';
import { formatAreaHa, formatDistanceM, formatYears } from './format.ts';
import { ZONE_NOT_ASSESSED_COLOR, ZONE_OTHER_RISK_COLOR, ZONE_RISK_COLORS } from './palette.ts';
import type { ZoneDetail, ZoneTileRisk } from './zone-api.ts';

/**
 * A zone without an assessment. The server stores assessments (the zone tile carries the latest) but does not
 * make them yet, so this is every zone unless one was written by other means.
 */
export const RISK_NOT_ASSESSED_TEXT =
  "Risk not assessed: this version of Tidemark does not compute a zone's risk class, distance to the " +
  'shoreline, years to impact, projected loss or water fraction.';

/** Beside an assessment: its figures that no endpoint serves yet (the tables have room for them). */
export const FIGURES_NOT_SERVED_TEXT =
  'Not in this version: the projected loss at 10 and 20 years and the latest water fraction.';

export interface ZoneRow {
  stat: string;
  label: string;
  value: string;
  raw?: number | null;
}

/**
 * The rows of the zone panel: the assessment's figures when the zone has one (from its tile attributes), then
 * its area, farm type and external id from `GET /api/zones/{id}` (the tile's, when that failed). A zone not
 * assessed gets no risk rows at all: one line above them says why (RISK_NOT_ASSESSED_TEXT).
 */
export function zoneDetailRows(risk: ZoneTileRisk, detail: ZoneDetail | null): ZoneRow[] {
  const rows: ZoneRow[] = [];
  if (risk.riskClass !== null) {
    rows.push({
      stat: 'distance',
      label: 'Distance to the shoreline',
      value: risk.distanceToShorelineM === null ? '—' : formatDistanceM(risk.distanceToShorelineM),
      raw: risk.distanceToShorelineM,
    });
    rows.push({
      stat: 'years-to-impact',
      label: 'Years to impact',
      // Stored as null when the forecasts do not reach the zone (store/migrations/0003-aquaculture-zones.ts).
      value:
        risk.yearsToImpact === null ? 'not within the forecast horizon' : formatYears(risk.yearsToImpact),
      raw: risk.yearsToImpact,
    });
  }
  const areaM2 = detail?.areaM2 ?? risk.areaM2;
  rows.push({ stat: 'area', label: 'Area', value: formatAreaHa(areaM2), raw: areaM2 });
  rows.push({ stat: 'kind', label: 'Farm type', value: detail?.kind ?? risk.farmType ?? '—' });
  if (detail?.externalId) rows.push({ stat: 'external-id', label: 'External id', value: detail.externalId });
  return rows;
}

function swatch(color: string): HTMLElement {
  const el = document.createElement('span');
  el.className = 'swatch swatch-fill';
  el.setAttribute('aria-hidden', 'true');
  el.style.background = color;
  return el;
}

/** The risk class with the colour the map fills the zone with, or the one line saying there is none. */
function riskLine(riskClass: string | null): HTMLElement {
  const line = document.createElement('p');
  if (riskClass === null) {
    line.className = 'risk-badge risk-not-assessed';
    line.dataset.stat = 'risk-not-assessed';
    line.append(swatch(ZONE_NOT_ASSESSED_COLOR), RISK_NOT_ASSESSED_TEXT);
    return line;
  }
  const known = ZONE_RISK_COLORS.find((z) => z.riskClass === riskClass);
  line.className = 'risk-badge';
  line.dataset.stat = 'risk-class';
  line.dataset.value = riskClass;
  line.append(
    swatch(known?.color ?? ZONE_OTHER_RISK_COLOR),
    known?.label ?? `${riskClass.replaceAll('_', ' ')} risk`,
  );
  return line;
}

/**
 * The zone panel's body. The risk figures come from the zone's tile attributes (its latest assessment); name,
 * kind and area from `GET /api/zones/{id}`. What this version does not compute or serve is said once, in
 * words, instead of a row of placeholders per figure.
 */
export function renderZoneDetails(risk: ZoneTileRisk, detail: ZoneDetail | null): Node[] {
  const body: Node[] = [riskLine(risk.riskClass), definitionList(zoneDetailRows(risk, detail))];
  if (risk.riskClass !== null) {
    const notServed = document.createElement('p');
    notServed.className = 'muted small';
    notServed.dataset.stat = 'figures-not-served';
    notServed.textContent = FIGURES_NOT_SERVED_TEXT;
    body.push(notServed);
  }
  return body;
}
