/**
 * Boot: a resolved spec in, a started network out (spec → genesis and configs → node containers
 * → the DAO's protocol upgrade → a handle). Nothing here reads settings: the builder did.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StartedTestContainer } from 'testcontainers';
import { ANVIL_HOST, BOOT_TIMEOUT_MS, createDockerNetwork, firstLine, startAnvil, startNode, type NodeContext, type NodePlan } from './containers';
import { PocketE2EError } from './errors';
import { buildGenesis, deriveNetworkKeys, genesisFromExport, nodeHost } from './genesis';
import type { AnvilImage } from './images/anvil';
import type { PocketCoreImage } from './images/pocket-core';
import { progress } from './images/progress';
import { tendermintKeyFiles } from './keys';
import { leanHandles, leanLayout, leanPeers, leanPlans } from './lean-node';
import { chainsJson, nodeConfig, peerAddress } from './node-config';
import type { LogSink } from './pocket-node';
import { freePort } from './ports';
import { ownerLabels } from './reaper';
import { CACHE_DIR, RUN_LABEL } from './settings';
import type { NetworkSpec } from './spec';
import { StartedPocketNetwork, type RelayChainHandle } from './started-network';

/** A spec whose feature profile is resolved to the keys of the version that runs. */
export type BootSpec = NetworkSpec & { features: string[] };

export async function bootNetwork(spec: BootSpec, core: PocketCoreImage, anvil: AnvilImage | undefined): Promise<StartedPocketNetwork> {
  const p = progress(`network ${spec.chainId}`);
  const runId = `${Date.now().toString(36)}-${process.pid}-${Math.random().toString(36).slice(2, 6)}`;
  const runDir = path.join(CACHE_DIR, 'runs', runId);
  fs.mkdirSync(runDir, { recursive: true });
  const keys = deriveNetworkKeys(spec);
  const labels = { [RUN_LABEL]: runId, ...ownerLabels() };
  p.info(`booting ${spec.nodes} node(s)${keys.lean.length ? ` and ${keys.lean.length} lean process(es)` : ''} of ${core.appVersion} (${core.image})`);

  const network = await createDockerNetwork(runId);
  const containers: StartedTestContainer[] = [];
  const sinks: LogSink[] = [];
  let anvilStarting: Promise<StartedTestContainer> | undefined;
  try {
    // The relay target starts beside the nodes: they only call it when relays arrive.
    anvilStarting = anvil ? startAnvil(network, anvil, labels).then((c) => { containers.push(c); return c; }) : undefined;

    // Service URLs are what clients on the host relay to, so they carry host ports chosen now.
    const hostPorts = await Promise.all(keys.validators.map(() => freePort()));
    const serviceUrls = hostPorts.map((port) => `http://127.0.0.1:${port}`);
    const lean = await leanLayout(keys);
    const urlOf = new Map([...keys.validators.map((k, i) => [k.address, serviceUrls[i]] as const), ...keys.lean.flatMap((ks, p) => ks.map((k, i) => [k.address, lean.serviceUrls[p][i]] as const))]);
    const genesis = spec.exportedGenesis
      ? genesisFromExport(spec.exportedGenesis, spec.chainId, new Date(), urlOf, !spec.exportedGenesisAsIs)
      : buildGenesis(spec, keys, new Date(), serviceUrls, lean.serviceUrls);
    const genesisJson = JSON.stringify(genesis, null, 2);
    const chains = JSON.stringify(chainsJson(spec.chains, ANVIL_HOST), null, 2);
    fs.writeFileSync(path.join(runDir, 'genesis.json'), genesisJson);
    fs.writeFileSync(path.join(runDir, 'chains.json'), chains);

    const plans: NodePlan[] = keys.validators.map((key, i) => {
      const peers = [...keys.validators.map((k, j) => ({ k, j })).filter(({ j }) => j !== i).map(({ k, j }) => peerAddress(k.address, nodeHost(j + 1))), ...leanPeers(keys)];
      const config = JSON.stringify(nodeConfig(spec, `node${i + 1}`, peers), null, 2);
      fs.writeFileSync(path.join(runDir, `node${i + 1}.config.json`), config);
      return {
        index: i + 1,
        key,
        host: nodeHost(i + 1),
        hostPort: hostPorts[i],
        files: {
          'config/genesis.json': genesisJson,
          'config/chains.json': chains,
          'config/config.json': config,
          ...tendermintKeyFiles(key),
        },
      };
    });

    for (const plan of leanPlans(spec, keys, lean, { genesis: genesisJson, chains })) {
      fs.writeFileSync(path.join(runDir, `${plan.name}.config.json`), plan.config);
      plans.push(plan);
    }

    const ctx: NodeContext = { spec, core, network, runDir, labels, runId, sinks, containers };
    const nodes = await Promise.all(plans.map((plan) => startNode(ctx, plan, plans.filter((o) => o.index !== plan.index).map((o) => o.host))));

    const anvilContainer = await anvilStarting;
    const chainHandles: RelayChainHandle[] = spec.chains.map((c) => ({
      ...c,
      nodeUrl: chainsJson([c], ANVIL_HOST)[0].url,
      hostUrl: c.kind === 'evm-anvil' && anvilContainer ? `http://127.0.0.1:${anvilContainer.getMappedPort(8545)}/` : `${nodes[0].rpcUrl}/`,
    }));
    const started = new StartedPocketNetwork(spec, keys, genesis, nodes, chainHandles, core, anvil, anvilContainer, network, runDir, containers, ctx);
    started.leanNodes = leanHandles(keys, lean, nodes.slice(spec.nodes));
    await started.waitForHeight(1, { timeoutMs: BOOT_TIMEOUT_MS, failOnDeadNode: true });
    p.info(`all ${spec.nodes} node(s) committed block 1 (${p.elapsedMs()} ms)`);
    if (spec.codecUpgrade ?? spec.features.length > 0) {
      await started.upgradeProtocol(spec.features);
      p.info(`codec upgraded at height ${started.protocolUpgradeHeight}, ${spec.features.length} feature(s) on (${p.elapsedMs()} ms)`);
      // pocket's tendermint reads the codec upgrade height once, at process start, and below
      // height 30040 picks proposers by it: a node restarted later (a fault, addNode, an upgrade)
      // would disagree with processes started before the upgrade, and the chain stalls. One
      // restart of every node now puts them all on the same footing.
      await started.restartAll();
      p.info(`every node restarted on the upgraded state (${p.elapsedMs()} ms)`);
    }
    fs.writeFileSync(path.join(runDir, 'network.json'), JSON.stringify(started.describe(), null, 2));
    p.done('network up');
    return started;
  } catch (err) {
    await anvilStarting?.catch(() => undefined);
    await Promise.allSettled(containers.map((c) => c.stop({ remove: true, removeVolumes: true, timeout: 0 })));
    await network.stop().catch(() => undefined);
    if (err instanceof PocketE2EError) throw err;
    const dead = sinks.find((s) => s.hasEnded);
    throw new PocketE2EError(`the network did not come up: ${firstLine((err as Error).message)}`, dead?.tail() ?? sinks[0]?.tail());
  }
}

