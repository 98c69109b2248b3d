import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
const noticed = new Set<string>();

function notice(what: string, line: string): void {
  if (noticed.has(what)) return;
  noticed.add(what);
  process.stderr.write(`[tidemark] ${line}\n`);
}

/** Path of the Chromium to drive with playwright-core (CHROMIUM_PATH overrides), or null. */
export function chromiumPath(): string | null {
  const candidates = process.env.CHROMIUM_PATH ? [process.env.CHROMIUM_PATH] : CHROMIUM_CANDIDATES;
  return candidates.find((p) => existsSync(p)) ?? null;
}

/** For `describe.skipIf(!hasChromium())`; prints a visible notice when browser tests will be skipped. */
export function hasChromium(): boolean {
  const found = chromiumPath() !== null;
  if (!found)
    notice(
      'chromium',
      `Chromium not found (${CHROMIUM_CANDIDATES.join(', ')} or CHROMIUM_PATH): browser tests are SKIPPED`,
    );
  return found;
}

/** For `describe.skipIf(!hasGdal())`; true when GDAL's command-line tools (ogrinfo, ogr2ogr) run. */
export function hasGdal(): boolean {
  const result = spawnSync('ogrinfo', ['--version'], { encoding: 'utf8' });
  const found = result.status === 0;
  if (!found)
    notice('gdal', 'GDAL client not found (ogrinfo; Debian package gdal-bin): GDAL tests are SKIPPED');
  return found;
}
