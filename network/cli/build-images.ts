import { assertDockerEngine } from '../docker';
import { exitWithError } from '../errors';
import { anvilImage } from '../images/anvil';
import { pocketCoreImageFor } from '../images/pocket-core';
import { reaperImage } from '../images/reaper';
import { readSettings } from '../settings';

/** `npm run images`: builds (or finds) every image a run needs, so test boots only start containers. */
async function main() {
  const settings = readSettings();
  await assertDockerEngine();
  const core = await pocketCoreImageFor(settings, { fresh: true });
  const anvil = await anvilImage(settings.anvilImage);
  const reaper = await reaperImage();
  console.error(`[pocket-e2e] images ready: ${core.image} (${core.source}), ${anvil.image} (${anvil.source}), ${reaper}`);
}

main().catch(exitWithError);
