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
  library ??= require('proj4') as typeof proj4Module;
  return library;
}
