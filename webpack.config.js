// Bundles the page: www/main.js (UI) and www/worker.js (fitting, in a Web Worker), with the engine's
// wasm from www/pkg (made by wasm-bindgen), into dist/. No inline scripts or styles, so the page runs
// under a same-origin Content-Security-Policy.
import CompressionPlugin from 'compression-webpack-plugin';
import CopyPlugin from 'copy-webpack-plugin';
import HtmlWebpackPlugin from 'html-webpack-plugin';
import webpack from 'webpack';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { offlineWorker } from './scripts/offline-worker.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const version = JSON.parse(readFileSync(here('./package.json'), 'utf8')).version;

// Precompressed copies beside every text or wasm asset above 1 KB that compresses to at most 80% of
// its size (name.ext.br, name.ext.gz), for a server that picks one by Accept-Encoding
// (scripts/serve.mjs; see the README).
const compressible = /\.(js|wasm|css|html|json|csv|svg|txt)$/;
const precompressed = [
  new CompressionPlugin({
    filename: '[path][base].br',
    algorithm: 'brotliCompress',
    compressionOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } },
    test: compressible,
    threshold: 1024,
  }),
  new CompressionPlugin({
    filename: '[path][base].gz',
    algorithm: 'gzip',
    compressionOptions: { level: 9 },
    test: compressible,
    threshold: 1024,
  }),
];

// The calculator's wasm is fetched by main.js once it runs; a preload link in index.html starts
// that download with the scripts' instead (same URL, mode and credentials as the engine's fetch),
// and the page script is loaded async.
class PreloadCalculatorWasm {
  apply(compiler) {
    compiler.hooks.compilation.tap('PreloadCalculatorWasm', (compilation) => {
      HtmlWebpackPlugin.getHooks(compilation).alterAssetTagGroups.tap('PreloadCalculatorWasm', (data) => {
        const wasm = compilation.getAssets().map((a) => a.name).find((n) => /^socgrad_calc_bg\.[0-9a-f]{8}\.wasm$/.test(n));
        if (!wasm) throw new Error('the calculator wasm (socgrad_calc_bg.[hash].wasm) is not in the build');
        data.headTags.unshift(HtmlWebpackPlugin.createHtmlTagObject('link', {
          rel: 'preload', href: wasm, as: 'fetch', type: 'application/wasm', crossorigin: 'anonymous',
        }));
        // The page script runs as soon as it arrives (async), so the wasm compiles while the rest
        // of the page is parsed; main.js waits for the document before it touches it.
        for (const tag of data.headTags) {
          if (tag.tagName === 'script' && tag.attributes.defer) {
            delete tag.attributes.defer;
            tag.attributes.async = true;
          }
        }
        return data;
      });
    });
  }
}

export default (env, argv) => ({
  entry: { main: './www/main.js' },
  output: {
    path: here('./dist/'),
    filename: '[name].[contenthash:8].js',
    chunkFilename: '[name].[contenthash:8].js',
    assetModuleFilename: '[name].[contenthash:8][ext]',
    clean: true,
  },
  devtool: argv.mode === 'production' ? false : 'source-map',
  performance: { hints: false },
  plugins: [
    // The build's label, shown in the footer (`--env build=LABEL` to tell two builds apart).
    new webpack.DefinePlugin({ __BUILD__: JSON.stringify(env.build || version) }),
    new HtmlWebpackPlugin({ template: './index.html', scriptLoading: 'defer', inject: 'head' }),
    new PreloadCalculatorWasm(),
    new CopyPlugin({
      patterns: [
        { from: 'www/static', to: '.' },
        // The national sample's tables: fetched only when that sample is chosen.
        { from: 'data/england_lsoa11.csv', to: 'data/' },
        { from: 'data/england_upper_tier_las.csv', to: 'data/' },
        { from: 'data/england_lsoa11_centroids.csv', to: 'data/' },
      ],
    }),
    ...precompressed,
    ...(argv.mode === 'production' ? [offlineWorker()] : []),
  ],
});
