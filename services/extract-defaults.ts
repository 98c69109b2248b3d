/**
 * Defaults of the waterline extraction, apart from the engine (extract-scene.ts), so that the CLI can show
 * them in its help without loading the pipeline.
 */

/** Shoreline pieces shorter than this are dropped (`--min-length`). */
export const DEFAULT_MIN_LENGTH_M = 200;
/** Memory for the windows pass 1 keeps for pass 2 (`--cache-mb`); windows beyond it are read again. */
export const DEFAULT_PIXEL_CACHE_BYTES = 512 * 1024 * 1024;
