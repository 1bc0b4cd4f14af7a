// The static server (scripts/serve.mjs) on a directory laid out as the build lays out dist/:
// precompressed copies chosen by Accept-Encoding, the original's Content-Type, year-long immutable
// caching for content-hashed names, ETag / 304 for the rest, HEAD, and the CSP on every answer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gzipSync, gunzipSync } from 'node:zlib';
import { staticHandler, CSP, IMMUTABLE } from '../../scripts/serve.mjs';

const dir = mkdtempSync(join(tmpdir(), 'socgrad-serve-'));
const script = 'export const x = 1;\n'.repeat(200);
const wasm = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7) % 13));
const page = '<!doctype html><title>Social Gradient Calculator</title>\n'.repeat(40);
const css = 'body { margin: 0; }\n';
let server;
let port;

before(async () => {
  writeFileSync(join(dir, 'main.0123abcd.js'), script);
  writeFileSync(join(dir, 'main.0123abcd.js.br'), brotliCompressSync(script));
  writeFileSync(join(dir, 'main.0123abcd.js.gz'), gzipSync(script));
  writeFileSync(join(dir, 'socgrad_bg.89abcdef.wasm'), wasm);
  writeFileSync(join(dir, 'socgrad_bg.89abcdef.wasm.gz'), gzipSync(wasm));
  writeFileSync(join(dir, 'index.html'), page);
  writeFileSync(join(dir, 'index.html.br'), brotliCompressSync(page));
  writeFileSync(join(dir, 'index.html.gz'), gzipSync(page));
  writeFileSync(join(dir, 'style.css'), css);
  server = createServer(staticHandler(dir));
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  port = server.address().port;
});

after(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

function get(path, headers = {}, method = 'GET') {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', fail);
    req.end();
  });
}

test('brotli is preferred, then gzip, then the file itself; each with the original type and length', async () => {
  const br = await get('/main.0123abcd.js', { 'accept-encoding': 'gzip, deflate, br' });
  assert.equal(br.status, 200);
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(br.headers['content-type'], 'text/javascript; charset=utf-8');
  assert.equal(Number(br.headers['content-length']), br.body.length);
  assert.equal(brotliDecompressSync(br.body).toString(), script);
  assert.equal(br.headers.vary, 'Accept-Encoding');

  const gz = await get('/main.0123abcd.js', { 'accept-encoding': 'gzip' });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(gunzipSync(gz.body).toString(), script);

  const refused = await get('/main.0123abcd.js', { 'accept-encoding': 'br;q=0, gzip;q=0.5' });
  assert.equal(refused.headers['content-encoding'], 'gzip');

  const plain = await get('/main.0123abcd.js');
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.body.toString(), script);
  assert.equal(Number(plain.headers['content-length']), Buffer.byteLength(script));
  assert.equal(plain.headers.vary, 'Accept-Encoding');
});

test('a file with only a gzip copy, or none, falls back in order', async () => {
  const wasmBr = await get('/socgrad_bg.89abcdef.wasm', { 'accept-encoding': 'br, gzip' });
  assert.equal(wasmBr.headers['content-encoding'], 'gzip');
  assert.equal(wasmBr.headers['content-type'], 'application/wasm');
  assert.deepEqual(gunzipSync(wasmBr.body), wasm);
  const small = await get('/style.css', { 'accept-encoding': 'br, gzip' });
  assert.equal(small.headers['content-encoding'], undefined);
  assert.equal(small.body.toString(), css);
});

test('content-hashed names are immutable for a year; other files revalidate with a strong ETag', async () => {
  for (const path of ['/main.0123abcd.js', '/socgrad_bg.89abcdef.wasm']) {
    assert.equal((await get(path)).headers['cache-control'], IMMUTABLE);
  }
  for (const path of ['/', '/index.html', '/style.css']) {
    const first = await get(path, { 'accept-encoding': 'br' });
    assert.equal(first.status, 200);
    assert.equal(first.headers['cache-control'], 'no-cache');
    const etag = first.headers.etag;
    assert.match(etag, /^"[A-Za-z0-9_-]{27}"$/);
    const again = await get(path, { 'accept-encoding': 'br', 'if-none-match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    assert.equal(again.headers.etag, etag);
    const stale = await get(path, { 'accept-encoding': 'br', 'if-none-match': '"something-else"' });
    assert.equal(stale.status, 200);
  }
  // Each representation has its own validator.
  const brTag = (await get('/index.html', { 'accept-encoding': 'br' })).headers.etag;
  const plainTag = (await get('/index.html')).headers.etag;
  assert.notEqual(brTag, plainTag);
  assert.equal((await get('/index.html', { 'if-none-match': brTag })).status, 200);
});

test('HEAD gives the headers of GET without a body; the CSP is on every answer', async () => {
  const head = await get('/index.html', { 'accept-encoding': 'gzip' }, 'HEAD');
  const full = await get('/index.html', { 'accept-encoding': 'gzip' });
  assert.equal(head.status, 200);
  assert.equal(head.body.length, 0);
  assert.equal(head.headers['content-length'], full.headers['content-length']);
  assert.equal(head.headers['content-encoding'], 'gzip');
  assert.equal(head.headers.etag, full.headers.etag);
  for (const r of [head, full, await get('/missing.js'), await get('/main.0123abcd.js', {}, 'POST')]) {
    assert.equal(r.headers['content-security-policy'], CSP);
  }
  assert.equal((await get('/missing.js')).status, 404);
  assert.equal((await get('/main.0123abcd.js', {}, 'POST')).status, 405);
  assert.equal((await get('/../Cargo.toml')).status, 404);
});
