/** Progress lines for long steps (image builds, boots): one prefix, elapsed seconds, to stderr so --json stdout stays clean. */
export function progress(step: string) {
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
  const quiet = process.env.POCKET_E2E_QUIET === '1';
  const print = (msg: string) => { if (!quiet) process.stderr.write(`[pocket-e2e] ${step}: ${msg}\n`); };
  return {
    info: (msg: string) => print(msg),
    line: (msg: string) => print(`  ${msg.slice(0, 160)}`),
    done: (msg = 'done') => print(`${msg} (${elapsed()})`),
    elapsedMs: () => Date.now() - started,
  };
}
