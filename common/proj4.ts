import { createRequire } from 'node:module';
import type proj4Module from 'proj4';

const require = createRequire(import.meta.url);
let library: typeof proj4Module | undefined;

/**
 * proj4, required on first use. It is a 312 kB CommonJS file: as an ES import, Node would first scan the
 * whole source for its export names (cjs-module-lexer), and every thread importing a module that uses
 * it (the extraction workers, say) would pay that at start-up whether it projects anything or not.
 */
export function proj4(): typeof proj4Module {
  library ??= withAxes(require('proj4') as typeof proj4Module);
  return library;
}

type Project = (p: unknown, enforceAxis?: boolean) => unknown;
type Converter = { forward: Project; inverse: Project };

/**
 * proj4 whose converters honour +axis by default. proj4js applies a definition's axis order only when
 * forward/inverse are passed `enforceAxis`; without it a south-oriented CRS (+axis=wsu: westing, southing,
 * as in EPSG:2046–2055) lands mirrored through its origin, thousands of kilometres away. Definitions
 * without +axis (east, north) are unaffected.
 */
function withAxes(lib: typeof proj4Module): typeof proj4Module {
  const call = lib as unknown as (...args: unknown[]) => unknown;
  const wrapped = (...args: unknown[]): unknown => {
    const out = call(...args);
    if (args.length !== 2 || !out || typeof out !== 'object' || !('forward' in out)) return out;
    const converter = out as Converter;
    return {
      ...converter,
      forward: (p: unknown, enforceAxis = true) => converter.forward(p, enforceAxis),
      inverse: (p: unknown, enforceAxis = true) => converter.inverse(p, enforceAxis),
    };
  };
  return Object.assign(wrapped, lib) as unknown as typeof proj4Module;
}
