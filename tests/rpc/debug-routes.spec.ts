/**
 * /debug/* routes exist only on a node started with --profileApp: covered on a private
 * one-node network started with that flag, and shown absent on the regular nodes.
 */
import { test, expect } from '../../fixtures/pocket';

const GET_ROUTES = ['/debug/pprof', '/debug/pprof/block', '/debug/pprof/cmdline', '/debug/pprof/goroutine', '/debug/pprof/heap', '/debug/pprof/symbol', '/debug/pprof/threadcreate', '/debug/memstats', '/debug/freememory'];

test.describe('debug routes (--profileApp)', () => {
  test('every debug route answers on a node started with --profileApp, and none on the regular network', async ({ network, startNetwork, rawRpc }) => {
    const net = await startNetwork((b) => b.withNodes(1, 1).withApps(1).withAccounts(0).withFeatures().withNodeFlags('--profileApp'));
    const url = net.node(1).rpcUrl;
    for (const route of GET_ROUTES) {
      await test.step(`GET ${route}`, async () => {
        const res = await rawRpc.get(url, route);
        expect.soft(res.status, route).toBe(200);
      });
    }
    await test.step('GET /debug/pprof/profile and /trace for one second', async () => {
      expect((await rawRpc.get(url, '/debug/pprof/profile?seconds=1', 30_000)).status).toBe(200);
      expect((await rawRpc.get(url, '/debug/pprof/trace?seconds=1', 30_000)).status).toBe(200);
    });
    await test.step('POST /debug/second and /debug/vbc', async () => {
      const second = await rawRpc.post(url, '/debug/second', { height: 0 });
      expect(second.status).toBe(200);
      expect(second.data).toEqual({ r: expect.any(Boolean) });
      const vbc = await rawRpc.post(url, '/debug/vbc', { height: 0, opts: { blockchain: '0001' } });
      expect(vbc.status).toBe(200);
    });
    await test.step('bad input on the debug routes', async () => {
      expect((await rawRpc.post(url, '/debug/second', '{"height":')).status).toBe(400);
      expect((await rawRpc.post(url, '/debug/vbc', '{"height":')).status).toBe(400);
      expect((await rawRpc.get(url, '/debug/pprof/no-such-profile')).status).toBe(404);
    });
    await test.step('the regular nodes (no --profileApp) expose none of them', async () => {
      for (const route of [...GET_ROUTES, '/debug/pprof/profile', '/debug/pprof/trace']) {
        expect.soft((await rawRpc.get(network.node(1).rpcUrl, route)).status, route).toBe(404);
      }
      expect((await rawRpc.post(network.node(1).rpcUrl, '/debug/second', {})).status).toBe(404);
      expect((await rawRpc.post(network.node(1).rpcUrl, '/debug/vbc', {})).status).toBe(404);
    });
  });
});
