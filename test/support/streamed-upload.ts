import { type ClientRequest, request as httpRequest } from 'node:http';

export const UPLOAD_BOUNDARY = 'tidemark-test-boundary';

/** The multipart head of a scene upload's `file` part: what comes before the file's bytes. */
export function multipartHead(fileName: string): Buffer {
  return Buffer.from(
    `--${UPLOAD_BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\n` +
      'Content-Type: image/tiff\r\n\r\n',
  );
}

/**
 * A scene upload to `POST /api/sites/{slug}/scenes` left open: chunked, with its head written and nothing
 * more, so a test sends the rest (or not) as it needs. Request errors (the server cutting it) are ignored.
 */
export function openUpload(
  serverUrl: string,
  slug: string,
  headers: Record<string, string>,
  fileName: string,
): ClientRequest {
  const req = httpRequest(`${serverUrl}/api/sites/${slug}/scenes`, {
    method: 'POST',
    headers: {
      ...headers,
      'Content-Type': `multipart/form-data; boundary=${UPLOAD_BOUNDARY}`,
      'Transfer-Encoding': 'chunked',
    },
  });
  req.on('error', () => undefined);
  req.write(multipartHead(fileName));
  return req;
}
