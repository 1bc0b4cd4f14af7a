// Bundles the page: www/main.js (UI) and www/worker.js (fitting, in a Web Worker), with the engine's
// wasm from www/pkg (made by wasm-bindgen), into dist/. No inline scripts or styles, so the page runs
// under a same-origin Content-Security-Policy.
import CopyPlugin from 'copy-webpack-plugin';
import HtmlWebpackPlugin from 'html-webpack-plugin';
import webpack from 'webpack';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { offlineWorker } from './scripts/offline-worker.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const version = JSON.parse(readFileSync(here('./package.json'), 'utf8')).version;

export default (env, argv) => ({
  entry: { main: './www/main.js' },
  output: {
    path: here('./dist/'),
    filename: '[name].[contenthash:8].js',
    assetModuleFilename: '[name].[contenthash:8][ext]',
    clean: true,
  },
  devtool: argv.mode === 'production' ? false : 'source-map',
  performance: { hints: false },
  plugins: [
    // The build's label, shown in the footer (`--env build=LABEL` to tell two builds apart).
    new webpack.DefinePlugin({ __BUILD__: JSON.stringify(env.build || version) }),
    new HtmlWebpackPlugin({ template: './index.html', scriptLoading: 'defer', inject: 'head' }),
    new CopyPlugin({ patterns: [{ from: 'www/static', to: '.' }] }),
    ...(argv.mode === 'production' ? [offlineWorker()] : []),
  ],
});
