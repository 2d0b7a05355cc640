import { assertDockerEngine } from '../network/docker';
import { PocketE2EError } from '../network/errors';
import { anvilImage } from '../network/images/anvil';
import { pocketCoreImageFor } from '../network/images/pocket-core';
import { reaperImage } from '../network/images/reaper';
import { reapLeftovers } from '../network/reaper';
import { readSettings } from '../network/settings';
import { preparePocketJs } from '../fixtures/sdk';

/**
 * Runs once before any worker: images are built here (workers only start containers), the
 * pocket-js under test is installed, and leftovers of a killed run are removed.
 */
export default async function globalSetup(): Promise<void> {
  try {
    const settings = readSettings();
    await assertDockerEngine();
    await reapLeftovers();
    await pocketCoreImageFor(settings, { fresh: true });
    await anvilImage(settings.anvilImage);
    if (process.env.TESTCONTAINERS_RYUK_DISABLED !== 'true') {
      await reaperImage().catch((err: Error) => {
        // Without Go the reaper cannot be built; networks still start, and leftovers of a killed
        // run are removed at the next start instead.
        console.error(`[pocket-e2e] warning: reaper unavailable (${err.message})`);
      });
    }
    preparePocketJs();
  } catch (err) {
    if (err instanceof PocketE2EError) {
      // One line for the user, not a stack from inside a library.
      console.error(`\npocket-e2e: ${err.message}${err.detail ? `\n${err.detail}` : ''}\n`);
      process.exit(1);
    }
    throw err;
  }
}
