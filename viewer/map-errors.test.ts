import { describe, expect, it } from 'vitest';
import { describeMapError, UNREACHABLE_MAP_TEXT } from './map-errors.ts';

/** An error shaped as MapLibre's AJAXError (maplibre-gl cannot be imported outside a browser). */
function ajaxError(status: number, statusText: string, url: string): Error {
  return Object.assign(new Error(`AJAXError: ${statusText} (${status}): ${url}`), {
    status,
    statusText,
    url,
  });
}

describe('describeMapError', () => {
  it('says plainly that the server cannot be reached when a tile request got no answer', () => {
    const error = ajaxError(0, 'Failed to fetch', 'http://127.0.0.1:3000/tiles/hazard/3/6/3.mvt');
    expect(describeMapError(error, 'hazard')).toEqual({ kind: 'unreachable' });
    expect(UNREACHABLE_MAP_TEXT).toBe('The server cannot be reached: the map will update when it is back.');
  });

  it('names the layer, not the tile URL, when the server answered with an error', () => {
    const error = ajaxError(500, 'Internal Server Error', 'http://127.0.0.1:3000/tiles/hazard/3/6/3.mvt');
    const problem = describeMapError(error, 'hazard');
    expect(problem).toEqual({
      kind: 'source',
      sourceId: 'hazard',
      text: 'Some tiles of the layer "Hazard zone" could not be loaded: the server answered 500 Internal Server Error.',
    });
    expect(JSON.stringify(problem)).not.toContain('/tiles/');
  });

  it('leaves out an empty status text (HTTP/2 sends none)', () => {
    const problem = describeMapError(ajaxError(503, '', 'http://h/tiles/zones/1/1/1.mvt'), 'zones');
    expect(problem).toMatchObject({ text: expect.stringMatching(/answered 503\.$/) });
  });

  it('speaks of the external basemap for its sources, and of the map for a request of no source', () => {
    expect(describeMapError(ajaxError(404, 'Not Found', 'https://x/t.pbf'), 'basemap:openmaptiles')).toEqual({
      kind: 'source',
      sourceId: 'basemap:openmaptiles',
      text: 'Some tiles of the external basemap could not be loaded: the server answered 404 Not Found.',
    });
    expect(describeMapError(ajaxError(404, 'Not Found', 'https://x/sprite.json'), undefined)).toEqual({
      kind: 'other',
      text: 'Part of the map could not be loaded: the server answered 404 Not Found.',
    });
  });

  it('passes other errors on with their message', () => {
    expect(describeMapError(new Error('layer "x" does not exist'), undefined)).toEqual({
      kind: 'other',
      text: 'Map error: layer "x" does not exist',
    });
    expect(describeMapError('odd', 'transects')).toEqual({ kind: 'other', text: 'Map error: odd' });
  });
});
