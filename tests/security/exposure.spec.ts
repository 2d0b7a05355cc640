/**
 * What a node exposes. Compared with what a deployment should expose: RPC (8081) and P2P (26656)
 * public; tendermint RPC (26657) and pprof only on loopback; metrics (8083) behind the operator's
 * firewall. The table is attached to the report either way.
 */
import { test, expect } from '../../fixtures/pocket';
import { attachJson } from '../../fixtures/allure';
import { SECURITY_FINDING } from '../../reports/categories';

const EXPECTED: Record<number, { role: string; publicOk: boolean }> = {
  8081: { role: 'pocket RPC', publicOk: true },
  26656: { role: 'tendermint P2P', publicOk: true },
  26657: { role: 'tendermint RPC', publicOk: false },
  8083: { role: 'pocket Prometheus metrics', publicOk: false },
  6060: { role: 'pprof', publicOk: false },
};

test.describe('exposed surface', () => {
  test('a node listens publicly only on RPC and P2P; tendermint RPC is loopback-only', async ({ network }) => {
    const res = await network.node(1).exec(['netstat', '-tln']);
    const listeners = res.stdout.split('\n').map((l) => l.trim().split(/\s+/)[3]).filter((a): a is string => Boolean(a && /:\d+$/.test(a)));
    const table = listeners.map((addr) => {
      const port = Number(addr.split(':').pop());
      const isPublic = !/^127\.|^::1|^\[::1\]/.test(addr);
      const known = EXPECTED[port];
      return { address: addr, port, role: known?.role ?? (addr.startsWith('127.0.0.11') ? 'Docker DNS (not pocket)' : 'unknown'), public: isPublic, verdict: !isPublic || known?.publicOk ? 'ok' : 'should not be public' };
    });
    await attachJson('listening sockets of node1', table);
    const tendermint = table.find((t) => t.port === 26657);
    expect(tendermint?.public, `${SECURITY_FINDING} tendermint RPC (unsafe routes, tx broadcast) listens publicly`).toBe(false);
    expect(table.filter((t) => t.role === 'unknown' && t.public), `${SECURITY_FINDING} unknown public listeners`).toEqual([]);
    const metrics = table.find((t) => t.port === 8083);
    if (metrics?.public) {
      test.info().annotations.push({ type: 'security note', description: 'pocket-core binds its Prometheus metrics (8083) on all interfaces: a deployment must firewall it' });
    }
    expect(table.find((t) => t.port === 8081)?.public).toBe(true);
  });

  test('private routes refuse a missing or wrong token and never reveal the real one', async ({ network, rawRpc }) => {
    const node = network.node(1);
    const token = await node.authToken();
    for (const route of ['/v1/private/chains', '/v1/private/nodes', '/v1/private/updatechains', '/v1/private/stop']) {
      for (const query of ['', '?authtoken=', `?authtoken=${token.slice(0, -1)}x`]) {
        const res = await rawRpc.post(node.rpcUrl, `${route}${query}`, {});
        expect(res.status, `${route}${query}`).toBe(401);
        expect(JSON.stringify(res.data), `${SECURITY_FINDING} ${route} leaked the auth token`).not.toContain(token);
      }
    }
    expect(await node.state()).toBe('running');
  });
});
