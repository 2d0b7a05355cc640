/**
 * What a node exposes, read from the kernel inside its container: the listening sockets of the
 * `pocket start` process itself (fixtures/listeners.ts), public (any non-loopback address) or
 * loopback. The expected set, for RC-0.12.0 started as our networks start it (config.json of
 * network/node-config.ts, flags --keybase=false --simulateRelay --allblocktxs, no --profileApp):
 *
 *   public   8081   pocket RPC: app/cmd/rpc/server.go serves `":" + rpc_port` (all interfaces)
 *   public   26656  tendermint P2P: our P2P.ListenAddress tcp://0.0.0.0:26656
 *   public   8083   pocket's Prometheus metrics: x/pocketcore/types/metrics.go StartPrometheusServer
 *                   listens on `":" + pocket_prometheus_port` (default "8083", types/config.go).
 *                   The setting is a port, not an address: every RC-0.12.0 node binds it on all
 *                   interfaces, so it is the version's design (a deployment must firewall it),
 *                   not a fault of a build.
 *   loopback 26657  tendermint RPC (unsafe routes, broadcast): our RPC.ListenAddress tcp://127.0.0.1:26657
 *
 * and nothing else: no pprof listener (tendermint's prof_laddr defaults to "" and we set none;
 * --profileApp only adds /debug routes to 8081 and is off here), no tendermint Prometheus (26660;
 * Instrumentation.Prometheus defaults to false). Any other listener, or 26657 public, is a
 * security finding.
 */
import { test, expect } from '../../fixtures/pocket';
import { attachJson } from '../../fixtures/allure';
import { listenersOf } from '../../fixtures/listeners';
import { seededRandom } from '../../fixtures/seeded-random';
import { SECURITY_FINDING } from '../../reports/categories';

const EXPECTED_PUBLIC = [8081, 8083, 26656];
const EXPECTED_LOOPBACK = [26657];

test.describe('exposed surface', () => {
  test('the node process listens publicly on exactly RPC 8081, metrics 8083 and P2P 26656, and on loopback on exactly tendermint RPC 26657', async ({ network }) => {
    for (const node of network.nodes) {
      const { cmdline, listeners } = await test.step(`the listening sockets of ${node.name}'s pocket process`, () => listenersOf(node));
      await attachJson(`listening sockets of ${node.name}`, { cmdline, listeners });
      expect(cmdline, 'PID 1 of the container is the node process, started without --profileApp').toMatch(/^pocket start /);
      expect(cmdline).not.toContain('--profileApp');
      const ports = (isPublic: boolean) => [...new Set(listeners.filter((l) => l.public === isPublic).map((l) => l.port))].sort((a, b) => a - b);
      expect(ports(true), `${SECURITY_FINDING} ${node.name} listens publicly on ports beyond RPC, metrics and P2P (or one is missing): ${JSON.stringify(listeners)}`).toEqual(EXPECTED_PUBLIC);
      expect(ports(false), `${node.name}'s loopback listeners: ${JSON.stringify(listeners)}`).toEqual(EXPECTED_LOOPBACK);
    }
  });

  test('private routes refuse a missing, empty or wrong token and never reveal the real one', async ({ network, rawRpc }, testInfo) => {
    const random = await seededRandom(testInfo);
    const node = network.node(1);
    const token = await node.authToken();
    const wrong = random.alter(token);
    expect(wrong, 'the wrong token differs from the real one by construction').not.toBe(token);
    expect(wrong).toHaveLength(token.length);
    for (const route of ['/v1/private/chains', '/v1/private/nodes', '/v1/private/updatechains', '/v1/private/stop']) {
      for (const [what, query] of [['no token', ''], ['an empty token', '?authtoken='], ['a token one character off', `?authtoken=${wrong}`]]) {
        const res = await rawRpc.post(node.rpcUrl, `${route}${query}`, {});
        expect(res.status, `${SECURITY_FINDING} ${route} with ${what}`).toBe(401);
        expect(JSON.stringify(res.data), `${SECURITY_FINDING} ${route} leaked the auth token`).not.toContain(token);
      }
    }
    expect(await node.state()).toBe('running');
  });
});
