// Browser tests: the built page (dist/) served on loopback, driven in Debian's Chromium.
import { defineConfig } from '@playwright/test';

const port = Number(process.env.TEST_PORT || 8123);

// Tests that count frames or time an update while a fit runs.
const TIMING = [/fit-stop\.spec\.js$/, /fit-national\.spec\.js$/, /offline\.spec\.js$/];

export default defineConfig({
  testDir: 'tests/browser',
  timeout: 120_000,
  // Two pages at a time, except for the tests that measure how the page answers while the engine
  // works (frames drawn, an update taken up in time), which a second browser on a 2-core machine
  // would disturb: those are the project `timing`, which scripts/test.sh runs on its own with one
  // worker after the others.
  workers: 2,
  projects: [
    // The national spatial fit (minutes) first, so the other tests share the second worker meanwhile.
    { name: 'national-spatial', testMatch: /spatial\.spec\.js$/ },
    { name: 'page', testIgnore: [/spatial\.spec\.js$/, ...TIMING] },
    { name: 'timing', testMatch: TIMING, workers: 1 },
  ],
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1280, height: 720 },
    launchOptions: {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
        '--disable-dev-shm-usage',
      ],
    },
  },
  webServer: {
    command: 'node scripts/serve.mjs',
    env: { PORT: String(port) },
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 30_000,
  },
});
