// The fitting engine's WebAssembly, fetched and compiled once on the page and handed to every
// worker that needs it (a compiled WebAssembly.Module can be posted to a worker): one request,
// whose hashed name the server and the offline cache keep for good, however often a worker is
// restarted after a cancelled fit or read.

const ENGINE_URL = new URL('../pkg/socgrad_bg.wasm', import.meta.url);

let compiled = null;

/** A response whose body reports its bytes to `onBytes(received)` as they arrive. */
function counted(response, onBytes) {
  let received = 0;
  const counter = new TransformStream({
    transform(chunk, controller) {
      received += chunk.byteLength;
      onBytes(received);
      controller.enqueue(chunk);
    },
  });
  return new Response(response.body.pipeThrough(counter), { headers: { 'Content-Type': 'application/wasm' } });
}

async function compile(onBytes) {
  const response = await fetch(ENGINE_URL);
  if (!response.ok) throw new Error(`the fitting engine could not be downloaded (HTTP ${response.status})`);
  return WebAssembly.compileStreaming(response.body ? counted(response, onBytes) : response);
}

/**
 * The compiled engine, fetched on the first call; `onBytes(received)` hears the download's
 * progress (decoded bytes). A failed download is tried again on the next call.
 */
export function engineModule(onBytes = () => {}) {
  if (!compiled) {
    compiled = compile(onBytes);
    compiled.catch(() => {
      compiled = null;
    });
  }
  return compiled;
}
