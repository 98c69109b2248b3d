import type { Context } from 'koa';
import { TidemarkError } from '../common/errors.ts';

// A Host header is reflected into TileJSON URLs, so it must look like host[:port] and nothing more.
const HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * The origin clients reach us at, for absolute URLs in responses (TileJSON `tiles`). A configured public URL
 * wins; otherwise it comes from the request, where Koa reads X-Forwarded-Proto/Host only when `app.proxy` is
 * set (we set it only when the deployment says a trusted proxy is in front).
 */
export function publicBaseUrl(ctx: Context, configured?: string): string {
  if (configured !== undefined) return configured.replace(/\/+$/, '');
  const host = ctx.host;
  if (!HOST.test(host)) {
    throw new TidemarkError('INVALID_INPUT', 'The Host header is missing or malformed');
  }
  const protocol = ctx.protocol === 'https' ? 'https' : 'http';
  return `${protocol}://${host.toLowerCase()}`;
}
