// Records every request a page makes, so tests can assert that nothing leaves the page's origin.
export function recordRequests(page) {
  const requests = [];
  page.on('request', (req) => requests.push({ url: req.url(), method: req.method(), body: req.postData() }));
  return requests;
}

/** Requests that go anywhere but the page's own origin (data: and blob: URLs are local). */
export function foreignRequests(requests, origin) {
  return requests.filter(({ url }) => !url.startsWith(origin + '/') && !url.startsWith('data:') && !url.startsWith('blob:'));
}
