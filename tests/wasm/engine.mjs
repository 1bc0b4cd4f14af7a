// Loads the WebAssembly build of the engine (www/pkg, made by `wasm-bindgen --target web`) in Node,
// synchronously, for the binding tests and the benchmark.
import { readFileSync } from 'node:fs';
import { initSync } from '../../www/pkg/socgrad.js';

initSync({ module: readFileSync(new URL('../../www/pkg/socgrad_bg.wasm', import.meta.url)) });

export * from '../../www/pkg/socgrad.js';
