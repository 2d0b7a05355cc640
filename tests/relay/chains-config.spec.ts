/**
 * Chains configuration, issue #16 family 8.
 *
 * TLS: pocket-core RC-0.12.0 calls chains with Go's default HTTP client (no TLS setting of its own),
 * which trusts the system roots only: on our scratch image that is nothing, and on any image a
 * self-signed chain certificate is refused ("x509: certificate signed by unknown authority",
 * pocketcore 28) until the operator adds it to /etc/ssl/certs/ca-certificates.crt, where Go looks.
 * Then relays to that chain are served through TLS.
 *
 * Hot reload:
 * pocket-core RC-0.12.0 app/config.go HotReloadChains: with pocket_config.chains_hot_reload the
 * node re-reads config/chains.json once a minute and relays go to the URLs it finds there, with no
 * restart. So a servicer whose chains.json points chain 0021 at a closed port stops serving 0021
 * within about a minute while the other servicers keep serving it, and serves it again about a
 * minute after the file is put back; its container is never restarted in between.
 */
import { test, expect } from '../../fixtures/pocket';
import { currentSession, postRelay, relayTo, type RelayAnswer } from '../../fixtures/relay';
import { restartAndWait, setPocketConfig, writeNodeFile } from '../../fixtures/node-settings';
import { DATADIR } from '../../network/node-config';
import { pollUntil } from '../../network/poll';
import type { PocketNode } from '../../network/pocket-node';
import { startTlsChain } from '../../fixtures/tls-chain';

const CHAINS_FILE = `${DATADIR}/config/chains.json`;
// One reload period (60 s) plus the relays' own time.
const RELOAD_WAIT_MS = 100_000;

const writeChains = (node: PocketNode, chains: Array<{ id: string; url: string }>) => writeNodeFile(node, CHAINS_FILE, JSON.stringify(chains, null, 2));

test.describe('chains configuration', () => {
  test('a chain behind a self-signed TLS certificate is refused as untrusted (pocketcore 28, x509) until the node trusts the certificate, then served through TLS', { tag: '@nightly' }, async ({ startNetwork, rawRpc }) => {
    test.setTimeout(300_000);
    const net = await startNetwork((b) => b.withNodes(4).withSessionNodeCount(4).withApps(1).withAccounts(1));
    const app = net.keys.apps[0];
    const node4 = net.node(4);
    const anvil = net.chains.find((c) => c.id === '0021')!;
    const anvilChainId = (await rawRpc.post<{ result: string }>(anvil.hostUrl, '', { jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] })).data.result;
    const relay0021 = async (): Promise<RelayAnswer> => postRelay(rawRpc, node4, relayTo(await currentSession(net, rawRpc, app, '0021'), node4, app, '0021'));
    const tls = await startTlsChain(await node4.gatewayAddress(), anvil.hostUrl);
    try {
      const original = JSON.parse((await node4.exec(['cat', CHAINS_FILE])).stdout) as Array<{ id: string; url: string }>;
      await test.step(`node4's chains.json points 0021 at ${tls.url} (restarted to read it): its relays are refused, the certificate untrusted`, async () => {
        await writeChains(node4, original.map((c) => (c.id === '0021' ? { ...c, url: tls.url } : c)));
        await restartAndWait(node4);
        const refused = await pollUntil(async () => {
          const a = await relay0021();
          return a.error?.code === 28 ? a : undefined;
        }, { timeoutMs: 60_000, intervalMs: 2000, what: 'node4 to answer a 0021 relay with its chain error' });
        expect(refused.error, JSON.stringify(refused)).toMatchObject({ codespace: 'pocketcore', code: 28 });
        expect(refused.error!.message).toMatch(/^error executing the http request: .*x509: certificate signed by unknown authority/);
        expect(tls.requests, 'no request got past the TLS handshake').toBe(0);
      });
      await test.step('with the certificate in node4\'s /etc/ssl/certs/ca-certificates.crt (and a restart), node4 serves 0021 through the TLS front', async () => {
        await writeNodeFile(node4, '/etc/ssl/certs/ca-certificates.crt', tls.certificatePem);
        await restartAndWait(node4);
        const answer = await pollUntil(async () => {
          const a = await relay0021();
          return a.status === 200 ? a : undefined;
        }, { timeoutMs: 60_000, intervalMs: 2000, what: 'node4 to serve a 0021 relay' });
        expect(JSON.parse(answer.response!).result).toBe(anvilChainId);
        expect(tls.requests).toBeGreaterThan(0);
      });
    } finally {
      await tls.close();
    }
  });

  test('with chains_hot_reload, an edited chains.json takes effect within a reload period and without a restart, and only on that node', { tag: '@nightly' }, async ({ startNetwork, rawRpc }) => {
    test.setTimeout(330_000);
    const net = await startNetwork((b) => b.withNodes(4).withSessionNodeCount(4).withApps(1).withAccounts(1));
    const app = net.keys.apps[0];
    const [node1, node4] = [net.node(1), net.node(4)];
    const anvilChainId = (await rawRpc.post<{ result: string }>(net.chains.find((c) => c.id === '0021')!.hostUrl, '', { jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] })).data.result;
    const relay0021 = async (servicer: PocketNode): Promise<RelayAnswer> => postRelay(rawRpc, servicer, relayTo(await currentSession(net, rawRpc, app, '0021'), servicer, app, '0021'));
    const served = (a: RelayAnswer) => a.status === 200 && a.response !== undefined && JSON.parse(a.response).result === anvilChainId;

    await test.step('node4 runs with chains_hot_reload on (one restart to set it) and serves 0021', async () => {
      await setPocketConfig(node4, { chains_hot_reload: true });
      const answer = await relay0021(node4);
      expect(served(answer), JSON.stringify(answer)).toBe(true);
    });
    const original = JSON.parse((await node4.exec(['cat', CHAINS_FILE])).stdout) as Array<{ id: string; url: string }>;
    expect(original.map((c) => c.id).sort()).toEqual(['0001', '0021']);
    const startedAt = await node4.startedAt();

    const broken = await test.step('node4\'s chains.json now points 0021 at a closed port: within a reload period its 0021 relays fail', async () => {
      await writeChains(node4, original.map((c) => (c.id === '0021' ? { ...c, url: 'http://127.0.0.1:9/' } : c)));
      return pollUntil(async () => {
        const a = await relay0021(node4);
        return served(a) ? undefined : a;
      }, { timeoutMs: RELOAD_WAIT_MS, intervalMs: 2000, what: 'node4 to stop serving 0021 after the edit' });
    });
    await test.step('the failure is the chain call (pocketcore 28, connection refused at the new URL); node1 still serves 0021; node4 was not restarted', async () => {
      // x/pocketcore/types/errors.go NewHTTPExecutionError: code 28, the chain call's own error appended.
      expect(broken.error, JSON.stringify(broken)).toMatchObject({ codespace: 'pocketcore', code: 28 });
      expect(broken.error!.message).toMatch(/^error executing the http request: .*127\.0\.0\.1:9.*connection refused/);
      const other = await relay0021(node1);
      expect(served(other), JSON.stringify(other)).toBe(true);
      expect(await node4.startedAt()).toBe(startedAt);
    });

    await test.step('the original chains.json back: within a reload period node4 serves 0021 again, still without a restart', async () => {
      await writeChains(node4, original);
      await pollUntil(async () => (served(await relay0021(node4)) ? true : undefined), { timeoutMs: RELOAD_WAIT_MS, intervalMs: 2000, what: 'node4 to serve 0021 again' });
      expect(await node4.startedAt()).toBe(startedAt);
    });
  });
});
