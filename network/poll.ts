/** Bounded polling: the only way tests and the framework wait (never a bare sleep). */
export interface PollOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** What is awaited, for the timeout message. */
  what: string;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Calls `probe` until it returns a value other than undefined, or throws after `timeoutMs`
 * with the last observed state (a probe that throws counts as "not yet").
 */
export async function pollUntil<T>(probe: () => Promise<T | undefined>, opts: PollOptions): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
      last = 'not yet';
    } catch (err) {
      last = err instanceof Error ? err.message : err;
    }
    if (Date.now() >= deadline) throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${opts.what} (last: ${String(last)})`);
    await pause(opts.intervalMs ?? 250);
  }
}
