import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StartedPocketNetwork } from '../network/pocket-network';
import type { PocketJsInfo } from '../fixtures/sdk';
import { PROJECT_ROOT } from '../network/settings';

export const RESULTS_DIR = path.resolve(process.env.ALLURE_RESULTS_DIR || path.join(PROJECT_ROOT, 'allure-results'));

/** What a run ran against, for the report's Environment panel (every worker writes the same facts). */
export function environmentOf(net: StartedPocketNetwork, sdk: PocketJsInfo): Record<string, string> {
  const d = net.describe();
  return {
    'pocket-core.version': d.pocketCore.appVersion,
    'pocket-core.module': d.pocketCore.moduleVersion ?? '-',
    'pocket-core.commit': d.pocketCore.commit ?? '-',
    'pocket-core.image': d.pocketCore.image,
    'pocket-core.image-id': d.pocketCore.imageId,
    'pocket-js.version': sdk.version,
    'pocket-js.source': sdk.requested === 'pinned' ? 'pinned (package.json)' : `${sdk.requested} @ ${sdk.location}`,
    'pocket-js.commit': sdk.commit ?? '-',
    'network.nodes': String(d.nodes.length),
    'network.apps': String(d.apps.length),
    'network.block-time-ms': String(d.params.blockTimeMs),
    'network.blocks-per-session': String(d.params.blocksPerSession),
    'network.session-node-count': String(d.params.sessionNodeCount),
    'network.node-flags': d.params.nodeFlags.join(' ') || '-',
    'network.features': Object.entries(d.features).map(([k, h]) => `${k}@${h}`).join(', ') || 'none',
    'network.codec-upgrade-height': d.protocolUpgradeHeight ? String(d.protocolUpgradeHeight) : 'none (legacy amino codec)',
    'relay.chains': d.chains.map((c) => `${c.id} ${c.name}`).join(', '),
    'node.version': process.version,
  };
}

export function writeEnvironment(net: StartedPocketNetwork, sdk: PocketJsInfo): void {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const lines = Object.entries(environmentOf(net, sdk)).map(([k, v]) => `${k}=${v.replace(/\n/g, ' ')}`);
  fs.writeFileSync(path.join(RESULTS_DIR, 'environment.properties'), lines.join('\n') + '\n');
}
