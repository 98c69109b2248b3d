import { overlayById } from './layer-catalog.ts';

/** The banner's words while tiles cannot be fetched: what happened and what will happen, with no URL. */
export const UNREACHABLE_MAP_TEXT = 'The server cannot be reached: the map will update when it is back.';

/**
 * What a MapLibre `error` event means for the analyst:
 * - `unreachable`: a request got no answer at all (the server is down, or the network);
 * - `source`: the server answered a tile request of one source with an error, which a later tile of that
 *   source loading fine answers;
 * - `other`: anything else, with its message.
 */
export type MapProblem =
  | { kind: 'unreachable' }
  | { kind: 'source'; sourceId: string; text: string }
  | { kind: 'other'; text: string };

/** The HTTP status of MapLibre's AJAXError (0 when the request got no answer), else null. */
function httpStatus(error: unknown): { status: number; statusText: string } | null {
  if (typeof error !== 'object' || error === null) return null;
  const { status, statusText } = error as { status?: unknown; statusText?: unknown };
  if (typeof status !== 'number' || !Number.isInteger(status)) return null;
  return { status, statusText: typeof statusText === 'string' ? statusText : '' };
}

function sourceName(sourceId: string): string {
  if (sourceId.startsWith('basemap:')) return 'the external basemap';
  const title = overlayById(sourceId)?.title;
  return title === undefined ? `the layer "${sourceId}"` : `the layer "${title}"`;
}

/**
 * Reads the error of a MapLibre `error` event (`sourceId` is the event's, when it has one). Its message
 * ("AJAXError: Failed to fetch (0): http://…/tiles/hazard/3/6/3.mvt") is for developers; this says the same
 * in words.
 */
export function describeMapError(error: unknown, sourceId: string | undefined): MapProblem {
  const http = httpStatus(error);
  if (http?.status === 0) return { kind: 'unreachable' };
  if (http !== null) {
    const answer = `the server answered ${http.status}${http.statusText === '' ? '' : ` ${http.statusText}`}.`;
    return sourceId === undefined
      ? { kind: 'other', text: `Part of the map could not be loaded: ${answer}` }
      : {
          kind: 'source',
          sourceId,
          text: `Some tiles of ${sourceName(sourceId)} could not be loaded: ${answer}`,
        };
  }
  return { kind: 'other', text: `Map error: ${error instanceof Error ? error.message : String(error)}` };
}
