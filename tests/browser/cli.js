// The native command line, run as its users run it, for comparing the page with it. The README's
// test command builds the binary once, before the browser tests, and names it in SOCGRAD_BIN; run
// on their own, the browser tests build it with `cargo run`.
import { execFileSync } from 'node:child_process';

/** The JSON that `socgrad ARGS` prints. */
export function socgradJson(...args) {
  const bin = process.env.SOCGRAD_BIN;
  const [command, argv] = bin ? [bin, args] : ['cargo', ['run', '--quiet', '--bin', 'socgrad', '--', ...args]];
  const out = execFileSync(command, argv, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out);
}
