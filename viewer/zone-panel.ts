import { definitionList } from './details-panel.ts';
import { formatAreaHa, formatDistanceM, formatYears } from './format.ts';
import { ZONE_NOT_ASSESSED_COLOR, ZONE_OTHER_RISK_COLOR, ZONE_RISK_COLORS } from './palette.ts';
import type { ZoneDetail, ZoneTileRisk } from './zone-api.ts';

/** Shown where the API does not (yet) provide a number, so an absent value is never mistaken for zero. */
const NOT_PROVIDED = 'not provided by the API';

function riskBadge(riskClass: string | null): HTMLElement {
  const badge = document.createElement('p');
  badge.className = 'risk-badge';
  badge.dataset.stat = 'risk-class';
  const known = ZONE_RISK_COLORS.find((z) => z.riskClass === riskClass);
  const swatch = document.createElement('span');
  swatch.className = 'swatch swatch-fill';
  swatch.setAttribute('aria-hidden', 'true');
  swatch.style.background =
    riskClass === null ? ZONE_NOT_ASSESSED_COLOR : (known?.color ?? ZONE_OTHER_RISK_COLOR);
  badge.append(
    swatch,
    riskClass === null ? 'Not assessed yet' : (known?.label ?? `${riskClass.replaceAll('_', ' ')} risk`),
  );
  if (riskClass !== null) badge.dataset.value = riskClass;
  return badge;
}

/**
 * The zone panel's body. The risk figures come from the zone's tile attributes (its latest assessment); name,
 * kind and area from `GET /api/zones/{id}`. Figures the API does not serve are labelled as such.
 */
export function renderZoneDetails(risk: ZoneTileRisk, detail: ZoneDetail | null): Node[] {
  const rows = [
    {
      stat: 'distance',
      label: 'Distance to the shoreline',
      value: risk.distanceToShorelineM === null ? '—' : formatDistanceM(risk.distanceToShorelineM),
      raw: risk.distanceToShorelineM,
    },
    {
      stat: 'years-to-impact',
      label: 'Years to impact',
      value:
        risk.yearsToImpact !== null
          ? formatYears(risk.yearsToImpact)
          : risk.riskClass === null
            ? '—'
            : 'not within the forecast horizon',
      raw: risk.yearsToImpact,
    },
    { stat: 'loss-10', label: 'Projected loss in 10 years', value: NOT_PROVIDED },
    { stat: 'loss-20', label: 'Projected loss in 20 years', value: NOT_PROVIDED },
    { stat: 'water-fraction', label: 'Latest water fraction', value: NOT_PROVIDED },
    {
      stat: 'area',
      label: 'Area',
      value: formatAreaHa(detail?.areaM2 ?? risk.areaM2),
      raw: detail?.areaM2 ?? risk.areaM2,
    },
    { stat: 'kind', label: 'Farm type', value: detail?.kind ?? risk.farmType ?? '—' },
  ];
  if (detail?.externalId) rows.push({ stat: 'external-id', label: 'External id', value: detail.externalId });
  return [riskBadge(risk.riskClass), definitionList(rows)];
}
