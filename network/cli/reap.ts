/** `npm run reap`: removes containers and networks left by pocket-e2e runs whose process is gone. */
import { exitWithError } from '../errors';
import { assertDockerEngine } from '../docker';
import { reapLeftovers } from '../reaper';

async function main() {
  await assertDockerEngine();
  const { containers, networks } = await reapLeftovers();
  console.log(`removed ${containers} container(s) and ${networks} network(s) of earlier runs`);
}

main().catch(exitWithError);
