import type { Router } from '@koa/router';
import type { Database } from '../../store/db.ts';

export interface Health {
  ok: true;
  version: string;
  /** `postgis` is the PostGIS library version, e.g. "3.3.2". */
  database: { mode: Database['mode']; postgis: string };
  /** Which tile encoder serves MVT: PostGIS `ST_AsMVT`, or the JS encoder where the database lacks protobuf. */
  mvt: 'postgis' | 'js';
}

/** `GET /healthz`: what this process runs on, for operators and load balancers. */
export function registerHealthRoute(router: Router, deps: { db: Database; version: string }): void {
  router.get('/healthz', (ctx) => {
    const health: Health = {
      ok: true,
      version: deps.version,
      database: { mode: deps.db.mode, postgis: deps.db.capabilities.postgis },
      mvt: deps.db.capabilities.mvt ? 'postgis' : 'js',
    };
    ctx.set('Cache-Control', 'no-store');
    ctx.body = health;
  });
}
