/**
 * The Docker side of a network: its own Docker network, the relay-chain container and one
 * container per pocket-core node, all labelled for the reaper.
 */
import * as path from 'node:path';
import {
  GenericContainer,
  getContainerRuntimeClient,
  getReaper,
  LABEL_TESTCONTAINERS_SESSION_ID,
  StartedNetwork,
  Wait,
  type StartedTestContainer,
} from 'testcontainers';
import { PocketE2EError } from './errors';
import type { AnvilImage } from './images/anvil';
import type { PocketCoreImage } from './images/pocket-core';
import { reaperImage } from './images/reaper';
import type { PocketKey } from './keys';
import { DATADIR, RPC_PORT } from './node-config';
import { LogSink, PocketNode } from './pocket-node';
import { ownerLabels } from './reaper';
import { RUN_LABEL } from './settings';
import type { NetworkSpec } from './spec';

export const ANVIL_HOST = 'anvil.pokt.local';
export const BOOT_TIMEOUT_MS = 90_000;

export const firstLine = (s: string) => s.split('\n')[0];

/** Points testcontainers at our Ryuk-compatible reaper (Ryuk itself cannot be pulled). */
export async function useLocalReaper(): Promise<void> {
  if (process.env.TESTCONTAINERS_RYUK_DISABLED === 'true' || process.env.RYUK_CONTAINER_IMAGE) return;
  try {
    process.env.RYUK_CONTAINER_IMAGE = await reaperImage();
    process.env.TESTCONTAINERS_RYUK_RECONNECTION_TIMEOUT ??= '5s';
  } catch (err) {
    // Without Go the reaper cannot be built: fall back to reaping by label at the next start.
    process.stderr.write(`[pocket-e2e] reaper unavailable (${(err as Error).message}); leftovers of a killed run are removed at the next start\n`);
    process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  }
}

export async function createDockerNetwork(runId: string): Promise<StartedNetwork> {
  const client = await getContainerRuntimeClient();
  const reaper = await getReaper(client);
  const name = `pocket-e2e-${runId}`;
  const network = await client.network.create({
    Name: name,
    CheckDuplicate: true,
    Labels: { 'org.testcontainers': 'true', [LABEL_TESTCONTAINERS_SESSION_ID]: reaper.sessionId, [RUN_LABEL]: runId, ...ownerLabels() },
  });
  return new StartedNetwork(client, name, network);
}

/** Waits until each peer's DNS alias exists (tendermint resolves persistent peers once, at start) and starts the node. */
function nodeEntrypoint(peerHosts: string[], flags: string[], preStart: string[] = []): string {
  return [
    'for h in ' + (peerHosts.join(' ') || ':') + '; do',
    '  [ "$h" = ":" ] && break; n=0',
    '  until nslookup "$h" >/dev/null 2>&1; do n=$((n+1)); if [ $n -gt 600 ]; then echo "pocket-e2e: peer $h never appeared in DNS" >&2; exit 1; fi; sleep 0.1; done',
    'done',
    ...preStart,
    `exec pocket start --datadir=${DATADIR} --keybase=false ${flags.join(' ')}`,
  ].join('\n');
}

export async function startAnvil(network: StartedNetwork, image: AnvilImage, labels: Record<string, string>) {
  return new GenericContainer(image.image)
    .withNetworkMode(network.getName())
    .withNetworkAliases(ANVIL_HOST)
    .withExposedPorts(8545)
    .withLabels(labels)
    .withCommand(['anvil', '--host', '0.0.0.0', '--port', '8545', '--block-time', '1'])
    .withWaitStrategy(Wait.forLogMessage(/Listening on/))
    .withStartupTimeout(30_000)
    .start();
}

export interface NodePlan {
  index: number;
  key: PocketKey;
  host: string;
  hostPort: number;
  files: Record<string, string>;
  /** A host copy of a node's whole datadir to start from (an upgraded node keeps its data). */
  datadir?: string;
  /** Log file name in the run directory (default <name>.log). */
  logName?: string;
  /** Container and node name (default node<index>). */
  name?: string;
  /** More host ports bound to the same RPC port (a LeanPocket process: one service URL per servicer). */
  extraHostPorts?: number[];
  /** Shell lines run before `pocket start` (e.g. `pocket accounts set-validators`); a failing line stops the container. */
  preStart?: string[];
}

/** testcontainers binds one host port per container port; Docker takes several. */
class NodeContainer extends GenericContainer {
  alsoBind(containerPort: number, hostPorts: number[]): this {
    const key = `${containerPort}/tcp`;
    const bindings = this.hostConfig.PortBindings ?? {};
    this.hostConfig.PortBindings = { ...bindings, [key]: [...(bindings[key] ?? []), ...hostPorts.map((p) => ({ HostPort: String(p) }))] };
    return this;
  }
}

/** What starting one node container needs from its network. */
export interface NodeContext {
  spec: NetworkSpec;
  core: PocketCoreImage;
  network: StartedNetwork;
  runDir: string;
  labels: Record<string, string>;
  runId: string;
  sinks: LogSink[];
  containers: StartedTestContainer[];
}

export async function startNode(ctx: NodeContext, plan: NodePlan, peerHosts: string[]): Promise<PocketNode> {
  const name = plan.name ?? `node${plan.index}`;
  const sink = new LogSink(path.join(ctx.runDir, plan.logName ?? `${name}.log`));
  ctx.sinks.push(sink);
  const builder = new NodeContainer(ctx.core.image);
  if (plan.datadir) builder.withCopyDirectoriesToContainer([{ source: plan.datadir, target: DATADIR }]);
  const container = await builder
    .withName(`pocket-e2e-${ctx.runId}-${name}`)
    .withNetworkMode(ctx.network.getName())
    .withNetworkAliases(plan.host)
    .withExposedPorts({ container: RPC_PORT, host: plan.hostPort })
    .alsoBind(RPC_PORT, plan.extraHostPorts ?? [])
    .withLabels({ ...ctx.labels, 'org.pocket-e2e.node': String(plan.index) })
    .withCopyContentToContainer(Object.entries(plan.files).map(([file, content]) => ({ content, target: `${DATADIR}/${file}` })))
    .withCommand(['sh', '-c', nodeEntrypoint(peerHosts, ctx.spec.nodeFlags, plan.preStart)])
    .withLogConsumer(sink.consume)
    .withWaitStrategy(Wait.forLogMessage(/Starting Consensus service/))
    .withStartupTimeout(BOOT_TIMEOUT_MS)
    .start()
    .catch((err: Error) => {
      if (/port is already allocated|address already in use/i.test(err.message)) {
        throw new PocketE2EError(`host port ${plan.hostPort} (or ${plan.extraHostPorts?.join(', ') || 'no other'}) for ${name} was taken by another program between choosing and binding it: run again`, undefined, true);
      }
      throw new PocketE2EError(`${name} did not start: ${firstLine(err.message)}`, sink.tail());
    });
  ctx.containers.push(container);
  return new PocketNode(plan.index, name, plan.key, plan.host, `http://127.0.0.1:${container.getMappedPort(RPC_PORT)}`, `http://127.0.0.1:${plan.hostPort}`, container, sink, ctx.network.getName());
}

