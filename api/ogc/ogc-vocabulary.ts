/** Media types, URIs and conformance classes of OGC API - Features - Part 1: Core (OGC 17-069r4). */

export const MEDIA = {
  json: 'application/json',
  geojson: 'application/geo+json',
  openapi: 'application/vnd.oai.openapi+json;version=3.0',
  html: 'text/html',
} as const;

/** WGS 84 longitude, latitude: the only CRS of Part 1. */
export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
export const TRS_GREGORIAN = 'http://www.opengis.net/def/uri/ISO-8601/0/Gregorian';

export const CONFORMANCE_CLASSES: readonly string[] = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
];

export interface OgcLink {
  href: string;
  rel: string;
  type?: string;
  title?: string;
}
