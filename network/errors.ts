/**
 * An error a user can act on: its message is one line that names the problem and the fix.
 * Entry points print `message` alone (no stack) and exit non-zero.
 */
export class PocketE2EError extends Error {
  constructor(
    message: string,
    /** Optional detail (a log tail, a build output) printed below the one-line message. */
    readonly detail?: string,
    /** A race with another program (e.g. a port taken meanwhile): trying again may succeed. */
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'PocketE2EError';
  }
}

/** Prints a PocketE2EError as its one line (plus detail) and anything else with its stack, then exits 1. */
export function exitWithError(err: unknown): never {
  if (err instanceof PocketE2EError) {
    console.error(`pocket-e2e: ${err.message}`);
    if (err.detail) console.error(err.detail);
  } else {
    console.error('pocket-e2e: unexpected error (a bug in pocket-e2e, please report it):');
    console.error(err);
  }
  process.exit(1);
}
