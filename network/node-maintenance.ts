/**
 * Taking a node's process down while keeping its data: for a binary swap (rolling upgrade) and for
 * an operator's offline tools (`pocket util export-genesis-for-reset`, `pocket reset`), which need
 * the databases a running node holds locked.
 */
import * as path from 'node:path';
import { GenericContainer, type StartedTestContainer } from 'testcontainers';
import type { NodeContext } from './containers';
import { PocketE2EError } from './errors';
import { DATADIR } from './node-config';
import type { ExecResult, PocketNode } from './pocket-node';
import { run } from './process';
import { runInTerminal } from './terminal';

/**
 * Stops `node` gracefully, copies its whole datadir to a new folder of the run directory and removes
 * its container; returns the folder.
 */
export async function retireNode(ctx: NodeContext, node: PocketNode): Promise<string> {
  await node.stop();
  const saved = path.join(ctx.runDir, `${node.name}-datadir-${Date.now().toString(36)}`);
  await copyDatadirOut(node.containerId, node.name, saved);
  await removeContainer(ctx, node.container);
  return saved;
}

async function copyDatadirOut(containerId: string, name: string, to: string): Promise<void> {
  const copied = await run('docker', ['cp', `${containerId}:${DATADIR}`, to], { timeoutMs: 120_000 });
  if (copied.code !== 0) throw new PocketE2EError(`could not copy ${name}'s datadir out of its container: ${copied.stderr.trim()}`);
}

async function removeContainer(ctx: NodeContext, container: StartedTestContainer): Promise<void> {
  await container.stop({ remove: true, timeout: 0 }).catch(() => run('docker', ['rm', '-f', container.getId()]));
  const at = ctx.containers.indexOf(container);
  if (at >= 0) ctx.containers.splice(at, 1);
}

/**
 * A node whose process is down, its datadir (at DATADIR) in a container of its image that runs
 * nothing: `pocket` commands run there as on the operator's machine with the node stopped.
 */
export class OfflineNode {
  constructor(
    /** The node it was (index, name, key, ports): `StartedPocketNetwork.bringOnline` starts it again. */
    readonly node: PocketNode,
    readonly container: StartedTestContainer,
  ) {}

  get name(): string {
    return `${this.node.name} (offline)`;
  }

  async exec(command: string[]): Promise<ExecResult> {
    const res = await this.container.exec(command);
    return { exitCode: res.exitCode, stdout: res.stdout, stderr: res.stderr };
  }

  execInTerminal(command: string[], answers: string[]): Promise<ExecResult> {
    return runInTerminal(this.container.getId(), command, answers);
  }

  /** Copies the (possibly changed) datadir out and removes the maintenance container; returns the folder. */
  async finish(ctx: NodeContext): Promise<string> {
    const saved = path.join(ctx.runDir, `${this.node.name}-datadir-after-maintenance-${Date.now().toString(36)}`);
    await copyDatadirOut(this.container.getId(), this.name, saved);
    await removeContainer(ctx, this.container);
    return saved;
  }
}

/** Starts the maintenance container for a node retired into `datadir` (it is removed with the network). */
export async function startOfflineNode(ctx: NodeContext, node: PocketNode, datadir: string): Promise<OfflineNode> {
  const container = await new GenericContainer(ctx.core.image)
    .withName(`pocket-e2e-${ctx.runId}-${node.name}-offline-${Date.now().toString(36)}`)
    .withLabels({ ...ctx.labels, 'org.pocket-e2e.offline-node': node.name })
    .withCopyDirectoriesToContainer([{ source: datadir, target: DATADIR }])
    .withCommand(['sleep', '86400'])
    .start()
    .catch((err: Error) => {
      throw new PocketE2EError(`the maintenance container for ${node.name} did not start: ${err.message.split('\n')[0]}`);
    });
  ctx.containers.push(container);
  return new OfflineNode(node, container);
}
