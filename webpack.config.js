// Bundles the page: www/main.js (UI) and www/worker.js (fitting, in a Web Worker), with the engine's
// wasm from www/pkg (made by wasm-bindgen), into dist/. No inline scripts or styles, so the page runs
// under a same-origin Content-Security-Policy.
import CopyPlugin from 'copy-webpack-plugin';
import HtmlWebpackPlugin from 'html-webpack-plugin';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

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
    new HtmlWebpackPlugin({ template: './index.html', scriptLoading: 'defer', inject: 'head' }),
    new CopyPlugin({
      patterns: [
        { from: 'www/static', to: '.' },
        // The national sample's tables: fetched only when that sample is chosen.
        { from: 'data/england_lsoa11.csv', to: 'data/' },
        { from: 'data/england_upper_tier_las.csv', to: 'data/' },
      ],
    }),
  ],
});
