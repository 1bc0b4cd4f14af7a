// Static file server for the built page (dist/). Binds to 127.0.0.1 only, serves nothing but
// dist/, and sends the same Content-Security-Policy as the page's meta tag.
//
// Compression: for a file `name.ext`, the build writes `name.ext.br` and `name.ext.gz` beside it
// when they are worth having; the server sends the Brotli copy to a browser that accepts `br`,
// else the gzip copy to one that accepts `gzip`, else the file itself, with the original's
// Content-Type and `Vary: Accept-Encoding`.
//
// Caching: content-hashed names (`name.0123abcd.ext`, which change whenever the content does) are
// cached for a year as immutable; everything else (index.html, style.css, ...) is `no-cache` with a
// strong ETag, answered with 304 Not Modified when the browser's copy is current.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { basename, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.csv': 'text/csv; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "worker-src 'self'",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Precompressed variants, best first: [Content-Encoding, file suffix]. */
const ENCODINGS = [
  ['br', '.br'],
  ['gzip', '.gz'],
];

/** `name.[8 hex digits].ext`, as webpack names its output (`[contenthash:8]`). */
const HASHED = /\.[0-9a-f]{8}\.[a-z0-9]+$/;

export const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The encodings an Accept-Encoding header allows (a `q=0` entry refuses one). */
function accepted(header) {
  const ok = new Set();
  for (const part of String(header || '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (name && !(q && Number(q.slice(2)) === 0)) ok.add(name);
  }
  return ok;
}

/** True when an If-None-Match header lists `etag` (or is `*`). */
function matches(ifNoneMatch, etag) {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((t) => t.trim() === '*' || t.trim() === etag);
}

async function isFile(path) {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** A request handler serving the files under `root`. */
export function staticHandler(root) {
  root = resolve(root);

  async function resolveFile(urlPath) {
    let path;
    try {
      path = normalize(decodeURIComponent(urlPath.split('?')[0])).replace(/^(\.\.[/\\])+/, '');
    } catch {
      return null;
    }
    let file = join(root, path);
    if (file !== root && !file.startsWith(root + '/')) return null;
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      return (await isFile(file)) ? file : null;
    } catch {
      return null;
    }
  }

  return async (req, res) => {
    const headers = {
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
      return;
    }
    const file = await resolveFile(req.url || '/');
    if (!file) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache' }).end('Not found');
      return;
    }
    let body = null;
    let encoding = null;
    const ok = accepted(req.headers['accept-encoding']);
    try {
      for (const [name, suffix] of ENCODINGS) {
        if (ok.has(name) && (await isFile(file + suffix))) {
          body = await readFile(file + suffix);
          encoding = name;
          break;
        }
      }
      body ??= await readFile(file);
    } catch {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache' }).end('Not found');
      return;
    }
    // A strong validator per representation: the compressed bytes differ from the original.
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    Object.assign(headers, {
      'Content-Type': types[extname(file)] || 'application/octet-stream',
      'Cache-Control': HASHED.test(basename(file)) ? IMMUTABLE : 'no-cache',
      ETag: etag,
      Vary: 'Accept-Encoding',
    });
    if (encoding) headers['Content-Encoding'] = encoding;
    if (matches(req.headers['if-none-match'], etag)) {
      res.writeHead(304, headers).end();
      return;
    }
    headers['Content-Length'] = body.length;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // SITE_DIR serves another build (the offline tests swap one build for another under a running
  // server); PORT=0 takes any free port, and the address printed is the one listened on.
  const root = process.env.SITE_DIR || fileURLToPath(new URL('../dist/', import.meta.url));
  const port = Number(process.env.PORT || 8080);
  const host = process.env.HOST || '127.0.0.1';
  const server = createServer(staticHandler(root));
  server.listen(port, host, () => {
    console.log(`Social Gradient Calculator at http://${host}:${server.address().port}/`);
  });
}
