// The tables behind the national sample on England's real neighbourhoods (real places,
// synthetic counts). They are the page's own static files, fetched only when that sample is
// chosen, so the first screen does not load them.

const TABLES = {
  lsoas: 'data/england_lsoa11.csv',
  las: 'data/england_upper_tier_las.csv',
  centroids: 'data/england_lsoa11_centroids.csv',
};

/** Reads one static file, calling `onBytes(received, total or null)` as it arrives. */
async function download(path, onBytes) {
  const response = await fetch(new URL(path, document.baseURI));
  if (!response.ok) throw new Error(`${path} could not be loaded (HTTP ${response.status})`);
  const total = Number(response.headers.get('Content-Length')) || null;
  if (!response.body) return response.arrayBuffer();
  const reader = response.body.getReader();
  const parts = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    received += value.length;
    onBytes(received, total);
  }
  const bytes = new Uint8Array(received);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  return bytes.buffer;
}

/**
 * The LSOA, LA and centroid tables as ArrayBuffers; `onProgress(text)` says how far the
 * download is (of the two large tables together).
 */
export async function fetchEnglandTables(onProgress) {
  const got = { lsoas: [0, null], centroids: [0, null] };
  const say = (which) => (received, total) => {
    got[which] = [received, total];
    const mb = (n) => (n / 1024 / 1024).toFixed(1);
    const sum = got.lsoas[0] + got.centroids[0];
    const all = got.lsoas[1] && got.centroids[1] ? got.lsoas[1] + got.centroids[1] : null;
    onProgress(`Loading England's 32,844 neighbourhoods and their centroids: ${mb(sum)}${all ? ` of ${mb(all)}` : ''} MB…`);
  };
  say('lsoas')(0, null);
  const [lsoas, las, centroids] = await Promise.all([
    download(TABLES.lsoas, say('lsoas')), download(TABLES.las, () => {}), download(TABLES.centroids, say('centroids')),
  ]);
  return { lsoas, las, centroids };
}
