import type { Router, RouterContext } from '@koa/router';
import busboy from 'busboy';
import type { Context } from 'koa';
import { isTidemarkError, TidemarkError } from '../../common/errors.ts';
import type { SceneJobs } from '../../services/scene-jobs.ts';
import { type SavedUpload, saveSceneUpload } from '../../services/upload-scene.ts';
import type { Database } from '../../store/db.ts';
import { getSceneById, listScenes, type Scene } from '../../store/scenes.ts';
import { getSiteById } from '../../store/sites.ts';
import { requireRole } from '../auth/authenticate.ts';
import type { TokenBucketLimiter } from '../auth/token-bucket.ts';
import { shuttingDownError } from '../error-middleware.ts';
import { emptyQuerySchema, idParamSchema, uploadFieldsSchema } from '../openapi/schemas.ts';
import { validate } from '../validate.ts';
import { jobJson } from './jobs.ts';
import { siteFromPath } from './sites.ts';

export interface SceneRouteDeps {
  db: Database;
  jobs: SceneJobs;
  /** Upload rate limit, one bucket per API key. */
  uploadLimiter: TokenBucketLimiter;
  /** Largest scene file accepted, bytes. */
  uploadMaxBytes: number;
  /** Parent directory of upload temp files (default: TIDEMARK_UPLOAD_DIR, else the OS temp dir). */
  uploadDir?: string;
}

/** Multipart framing around the file (boundaries, part headers, small fields) allowed on top of the limit. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

export function sceneJson(scene: Scene, siteSlug: string) {
  return {
    id: scene.id,
    site: siteSlug,
    fileName: scene.fileName,
    sha256: scene.sha256,
    acquiredDate: scene.acquiredDate,
    epsg: scene.epsg,
    width: scene.width,
    height: scene.height,
    threshold: scene.threshold,
    waterFraction: scene.waterFraction,
    fileSizeBytes: scene.fileSizeBytes,
    createdAt: scene.createdAt,
    links: { self: `/api/scenes/${scene.id}`, site: `/api/sites/${encodeURIComponent(siteSlug)}` },
  };
}

function malformed(detail: string): TidemarkError {
  return new TidemarkError('INVALID_INPUT', `invalid multipart upload: ${detail}`);
}

/**
 * Reads a multipart/form-data body with one file part named `file` (and optional small fields), streaming
 * the file to a temporary file through saveSceneUpload. Every failure (bad framing, a truncated body, a
 * client that goes away, the size limit, a non-TIFF, the server shutting down) removes what was written and
 * stops reading the body.
 */
function receiveMultipartScene(
  ctx: Context,
  opts: { maxBytes: number; dir?: string; signal?: AbortSignal },
): Promise<{ upload: SavedUpload; fields: Record<string, string> }> {
  const req = ctx.req;
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        limits: { files: 1, fields: 8, parts: 9, fieldSize: 1024, fieldNameSize: 100, headerPairs: 50 },
      });
    } catch {
      reject(malformed('the Content-Type lacks a multipart boundary'));
      return;
    }
    const fields: Record<string, string> = {};
    let fileStream: NodeJS.ReadableStream | null = null;
    let saving: Promise<SavedUpload> | null = null;
    let settled = false;

    const fail = (err: unknown, stopping = false) => {
      if (settled) return;
      settled = true;
      req.off('close', onClose);
      opts.signal?.removeEventListener('abort', onStopping);
      req.unpipe(bb);
      // The rest of the body is read and dropped, so the client gets our answer rather than a reset; not at
      // shutdown, where reading it could take longer than the server has left (the answer closes the connection).
      if (stopping) req.pause();
      else req.resume();
      const error = stopping
        ? shuttingDownError()
        : isTidemarkError(err)
          ? err
          : malformed('the body is malformed or truncated');
      // Stops a file still being written (saveSceneUpload then removes it), and answers only once it is gone.
      (fileStream as { destroy?: (e: Error) => void } | null)?.destroy?.(error);
      const gone =
        saving === null ? Promise.resolve() : saving.then((u) => u.remove()).catch(() => undefined);
      void gone.then(() => reject(error));
    };
    const onClose = () => {
      if (!req.complete) fail(malformed('the request body ended before the upload was complete'));
    };
    const onStopping = () => fail(null, true);

    bb.on('file', (name, stream, info) => {
      if (name !== 'file' || saving !== null) {
        stream.resume();
        fail(
          malformed(
            saving !== null ? 'send exactly one file' : `unexpected file part '${name}' (use 'file')`,
          ),
        );
        return;
      }
      fileStream = stream;
      saving = saveSceneUpload(stream, info.filename, opts);
      saving.catch(fail);
    });
    bb.on('field', (name, value, info) => {
      if (info.nameTruncated || info.valueTruncated) fail(malformed(`field '${name}' is too long`));
      else if (Object.hasOwn(fields, name)) fail(malformed(`field '${name}' is given twice`));
      else fields[name] = value;
    });
    bb.on('filesLimit', () => fail(malformed('send exactly one file')));
    bb.on('fieldsLimit', () => fail(malformed('too many fields')));
    bb.on('partsLimit', () => fail(malformed('too many parts')));
    bb.on('error', (err) => fail(err));
    bb.on('close', () => {
      if (settled) return;
      if (saving === null) {
        fail(malformed("no file part: send the GeoTIFF as a part named 'file'"));
        return;
      }
      saving.then(
        (upload) => {
          if (settled) {
            upload.remove().catch(() => undefined);
            return;
          }
          settled = true;
          req.off('close', onClose);
          opts.signal?.removeEventListener('abort', onStopping);
          resolve({ upload, fields });
        },
        (err) => fail(err),
      );
    });
    req.on('close', onClose);
    if (opts.signal?.aborted) {
      onStopping();
      return;
    }
    opts.signal?.addEventListener('abort', onStopping, { once: true });
    req.pipe(bb);
  });
}

/**
 * `POST /api/sites/{slug}/scenes` (analyst): a multipart GeoTIFF upload → 200 with the stored scene when the
 * same file is already in the site, else 202 with a job that ingests it. Also `GET /api/sites/{slug}/scenes`
 * and `GET /api/scenes/{id}`.
 */
export function registerSceneRoutes(router: Router, deps: SceneRouteDeps): void {
  const { db } = deps;

  router.post('/api/sites/:slug/scenes', async (ctx: RouterContext) => {
    const key = requireRole(ctx, 'analyst');
    if (ctx.stopping?.aborted) throw shuttingDownError();
    const verdict = deps.uploadLimiter.take(`key:${key.id}`);
    if (!verdict.ok) {
      ctx.throw(429, `too many uploads with this key; retry in ${verdict.retryAfterS} s`, {
        headers: { 'Retry-After': String(verdict.retryAfterS) },
      });
    }
    validate(emptyQuerySchema, ctx.query, 'query');
    const site = await siteFromPath(db, ctx);
    if (!ctx.is('multipart/form-data')) {
      throw new TidemarkError(
        'UNSUPPORTED',
        "send the scene as multipart/form-data with a part named 'file'",
        {
          status: 415,
        },
      );
    }
    const declared = ctx.request.length;
    if (declared !== undefined && declared > deps.uploadMaxBytes + MULTIPART_OVERHEAD_BYTES) {
      throw new TidemarkError(
        'TOO_LARGE',
        `the upload is larger than the limit of ${deps.uploadMaxBytes} bytes`,
        {
          details: { maxBytes: deps.uploadMaxBytes },
        },
      );
    }
    const { upload, fields } = await receiveMultipartScene(ctx, {
      maxBytes: deps.uploadMaxBytes,
      ...(deps.uploadDir === undefined ? {} : { dir: deps.uploadDir }),
      ...(ctx.stopping === undefined ? {} : { signal: ctx.stopping }),
    });
    let options: { date?: string };
    try {
      options = validate(uploadFieldsSchema, fields, 'form fields');
    } catch (err) {
      await upload.remove();
      throw err;
    }
    if (ctx.stopping?.aborted) {
      await upload.remove();
      throw shuttingDownError();
    }
    const outcome = await deps.jobs.submitUpload({
      site,
      upload,
      apiKeyId: key.id,
      options: options.date === undefined ? {} : { date: options.date },
    });
    if (outcome.kind === 'duplicate') {
      ctx.status = 200;
      ctx.body = { duplicate: true, scene: sceneJson(outcome.scene, site.slug) };
      return;
    }
    ctx.status = 202;
    ctx.set('Location', `/api/jobs/${outcome.job.id}`);
    ctx.body = { job: jobJson(outcome.job) };
  });

  router.get('/api/sites/:slug/scenes', async (ctx: RouterContext) => {
    validate(emptyQuerySchema, ctx.query, 'query');
    const site = await siteFromPath(db, ctx);
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = { scenes: (await listScenes(db.knex, site.id)).map((s) => sceneJson(s, site.slug)) };
  });

  router.get('/api/scenes/:id', async (ctx: RouterContext) => {
    validate(emptyQuerySchema, ctx.query, 'query');
    const id = validate(idParamSchema, ctx.params.id, 'id');
    const scene = await getSceneById(db.knex, id);
    const site = scene === null ? null : await getSiteById(db.knex, scene.siteId);
    if (scene === null || site === null) throw new TidemarkError('NOT_FOUND', `no scene with id ${id}`);
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = sceneJson(scene, site.slug);
  });
}
