/**
 * Sources as plain data. The main thread opens a scene once (parsing its headers, checking it, resolving
 * its bands and CRS) and sends each extraction task a snapshot of the source; a worker restores the source
 * from it instead of opening the scene again. That saves each worker the parse (tens of milliseconds at
 * start-up, or requests for a remote COG's headers) and the libraries that do it.
 */
import { type GeoTiffSnapshot, restoreGeoTiffSource } from './geotiff-source.ts';
import type { SceneSource } from './scene-source.ts';
import { type BandFilesSnapshot, restoreBandFilesSource } from './stac-source.ts';

export type SourceSnapshot = GeoTiffSnapshot | BandFilesSnapshot;

/** The source a snapshot describes (SceneSource.snapshot), reading the same bytes as the original. */
export function restoreSceneSource(snapshot: SourceSnapshot): Promise<SceneSource> {
  return snapshot.kind === 'geotiff' ? restoreGeoTiffSource(snapshot) : restoreBandFilesSource(snapshot);
}
