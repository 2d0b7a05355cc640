import * as fs from 'node:fs';
import type { Readable } from 'node:stream';
import type { StartedTestContainer } from 'testcontainers';
import type { PocketKey } from './keys';
import { run } from './process';
import { queryHeight } from './rpc';
import { DATADIR } from './node-config';
import { runInTerminal } from './terminal';

/** Collects a container's output into a file that outlives the container (attached to failed tests). */
export class LogSink {
  private tailLines: string[] = [];
  private ended = false;
  constructor(readonly file: string) {
    fs.writeFileSync(file, '');
  }

  consume = (stream: Readable) => {
    this.ended = false;
    stream.on('data', (chunk: Buffer | string) => {
      const text = chunk.toString();
      fs.appendFileSync(this.file, text);
      this.tailLines.push(...text.split('\n').filter(Boolean));
      if (this.tailLines.length > 400) this.tailLines = this.tailLines.slice(-200);
    });
    stream.on('end', () => { this.ended = true; });
  };

  /** True once the container's output stream closed (it exited or was removed). */
  get hasEnded(): boolean {
    return this.ended;
  }

  tail(lines = 40): string {
    return this.tailLines.slice(-lines).join('\n');
  }

  read(): string {
    return fs.existsSync(this.file) ? fs.readFileSync(this.file, 'utf8') : '';
  }
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** One validator/servicer of a started network, with the faults a test can inject. */
export class PocketNode {
  constructor(
    /** 1-based position in the network. */
    readonly index: number,
    readonly name: string,
    /** Validator key (also the node's P2P key and servicer key). */
    readonly key: PocketKey,
    /** Docker network alias, e.g. node1.pokt.local. */
    readonly host: string,
    /** RPC on the host, e.g. http://127.0.0.1:49153. */
    readonly rpcUrl: string,
    /** Service URL staked on chain (what clients relay to). */
    readonly serviceUrl: string,
    readonly container: StartedTestContainer,
    readonly logs: LogSink,
    private readonly networkName: string,
  ) {}

  get address(): string {
    return this.key.address;
  }

  get containerId(): string {
    return this.container.getId();
  }

  height(): Promise<number> {
    return queryHeight(this.rpcUrl);
  }

  /** Runs a command inside the node's container (the `pocket` CLI lives there). */
  async exec(command: string[], opts: { env?: Record<string, string> } = {}): Promise<ExecResult> {
    const res = await this.container.exec(command, { env: opts.env });
    return { exitCode: res.exitCode, stdout: res.stdout, stderr: res.stderr };
  }

  /** Runs a command under a terminal, typing `answers` (prompts that read a terminal: network/terminal.ts). */
  execInTerminal(command: string[], answers: string[]): Promise<ExecResult> {
    return runInTerminal(this.containerId, command, answers);
  }

  /** `pocket <args>` against this node's datadir and RPC. */
  pocketCli(args: string[]): Promise<ExecResult> {
    return this.exec(['pocket', ...args, `--datadir=${DATADIR}`, '--remoteCLIURL=http://127.0.0.1:8081']);
  }

  /** The token of /v1/private/* routes, which the node writes at start (generate_token_on_start). */
  async authToken(): Promise<string> {
    const res = await this.exec(['cat', `${DATADIR}/config/auth.json`]);
    const token = (JSON.parse(res.stdout) as { Value?: string }).Value;
    if (!token) throw new Error(`${this.name} has no auth token in config/auth.json: ${res.stdout || res.stderr}`);
    return token;
  }

  /** Graceful stop (SIGTERM, data kept; `start()` brings it back). */
  async stop(): Promise<void> {
    await docker(['stop', '-t', '10', this.containerId]);
  }

  /** SIGKILL: what a crash looks like. */
  async kill(): Promise<void> {
    await docker(['kill', '--signal', 'KILL', this.containerId]);
  }

  async start(): Promise<void> {
    const since = Math.floor(Date.now() / 1000);
    await docker(['start', this.containerId]);
    await this.followLogs(since);
  }

  async restart(): Promise<void> {
    const since = Math.floor(Date.now() / 1000);
    await this.container.restart({ timeout: 10_000 });
    await this.followLogs(since);
  }

  /** A container's output stream ends when it stops: a started one is followed again, into the same log. */
  private async followLogs(sinceSeconds: number): Promise<void> {
    this.logs.consume(await this.container.logs({ since: sinceSeconds }));
  }

  async pause(): Promise<void> {
    await docker(['pause', this.containerId]);
  }

  async unpause(): Promise<void> {
    await docker(['unpause', this.containerId]);
  }

  /** Cuts the node off its Docker network: peers, relay chains and its published RPC port all go (until `connect()`). */
  async disconnect(): Promise<void> {
    // Not --force: a forced disconnect followed by a connect has wedged Docker 20.10's daemon.
    await docker(['network', 'disconnect', this.networkName, this.containerId]);
  }

  async connect(): Promise<void> {
    await docker(['network', 'connect', '--alias', this.host, this.networkName, this.containerId]);
  }

  /** The host's address on the node's Docker network (its gateway): where a host-side service is reachable from the node. */
  async gatewayAddress(): Promise<string> {
    const res = await run('docker', ['network', 'inspect', '--format', '{{range .IPAM.Config}}{{.Gateway}}{{end}}', this.networkName], { timeoutMs: 30_000 });
    const ip = res.stdout.trim();
    if (res.code !== 0 || !/^\d+\.\d+\.\d+\.\d+$/.test(ip)) throw new Error(`docker network inspect ${this.networkName} gave no gateway (exit ${res.code}): ${res.stderr.trim() || ip}`);
    return ip;
  }

  /** When Docker last started the container: unchanged means the node was not restarted. */
  async startedAt(): Promise<string> {
    const res = await run('docker', ['inspect', '--format', '{{.State.StartedAt}}', this.containerId], { timeoutMs: 30_000 });
    if (res.code !== 0) throw new Error(`docker inspect ${this.name} failed (exit ${res.code}): ${res.stderr.trim()}`);
    return res.stdout.trim();
  }

  /** `running`, `exited`, `paused`, … as Docker reports it. */
  async state(): Promise<string> {
    const res = await run('docker', ['inspect', '--format', '{{.State.Status}}', this.containerId], { timeoutMs: 30_000 });
    return res.code === 0 ? res.stdout.trim() : 'removed';
  }
}

async function docker(args: string[]): Promise<void> {
  const res = await run('docker', args, { timeoutMs: 60_000 });
  if (res.code !== 0) throw new Error(`docker ${args.join(' ')} failed (exit ${res.code}): ${res.stderr.trim() || 'no answer within 60 s'}`);
}
