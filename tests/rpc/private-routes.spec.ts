/**
 * /v1/private/* routes: the operator's surface, guarded by the token the node writes to
 * config/auth.json at start. Raw HTTP throughout: pocket-js has no private calls.
 */
import { test, expect } from '../../fixtures/pocket';
import { pollUntil } from '../../network/poll';
import { rpcPost } from '../../network/rpc';
import { run } from '../../network/process';

test.describe('private routes with the node\'s auth token', () => {
  test('chains returns the hosted chains of chains.json and nodes the node\'s own validator', async ({ network, rawRpc }) => {
    const node = network.node(1);
    const token = await node.authToken();
    const chains = await rawRpc.post(node.rpcUrl, `/v1/private/chains?authtoken=${token}`, {});
    expect(chains.status).toBe(200);
    const hosted = Object.values(chains.data as Record<string, { id: string; url: string }>).map((c) => ({ id: c.id, url: c.url }));
    expect(hosted.sort((a, b) => a.id.localeCompare(b.id))).toEqual(network.chains.map((c) => ({ id: c.id, url: c.nodeUrl })).sort((a, b) => a.id.localeCompare(b.id)));

    const nodes = await rawRpc.post(node.rpcUrl, `/v1/private/nodes?authtoken=${token}`, {});
    expect(nodes.status).toBe(200);
    expect(nodes.data).toEqual([{ address: node.address }]);
  });

  test('updatechains replaces the hosted chains; a wrong token changes nothing', async ({ startNetwork, rawRpc }) => {
    const net = await startNetwork((b) => b.withNodes(1, 1).withApps(1).withAccounts(0).withFeatures());
    const node = net.node(1);
    const token = await node.authToken();
    const refused = await rawRpc.post(node.rpcUrl, '/v1/private/updatechains?authtoken=wrong', [{ id: '0042', url: 'http://127.0.0.1:1/' }]);
    expect(refused.status).toBe(401);

    const onlyPocket = [{ id: '0001', url: 'http://127.0.0.1:8081/', basic_auth: { username: '', password: '' } }];
    const res = await rawRpc.post(node.rpcUrl, `/v1/private/updatechains?authtoken=${token}`, onlyPocket);
    expect(res.status).toBe(200);
    const after = await rawRpc.post(node.rpcUrl, `/v1/private/chains?authtoken=${token}`, {});
    expect(Object.keys(after.data as object)).toEqual(['0001']);
  });

  test('stop shuts the node down; without the token it keeps running', async ({ startNetwork, rawRpc, recorder }) => {
    const net = await startNetwork((b) => b.withNodes(1, 1).withApps(1).withAccounts(0).withFeatures());
    const node = net.node(1);
    const refused = await rawRpc.post(node.rpcUrl, '/v1/private/stop?authtoken=wrong', {});
    expect(refused.status).toBe(401);
    expect(await node.state()).toBe('running');

    const token = await node.authToken();
    // RC-0.12.0's Stop handler (app/cmd/rpc/client.go) stops tendermint and calls os.Exit(0)
    // without writing an answer: the request ends with the connection, and the process with code 0
    // (a failed stop answers 400 and exits 1).
    const res = await rpcPost(node.rpcUrl, `/v1/private/stop?authtoken=${token}`, {}, 20_000).then(
      (r) => ({ status: r.status, data: r.data as unknown }),
      (err: Error & { code?: string }) => ({ status: 0, data: `${err.code ?? ''} ${err.message}`.trim() as unknown }),
    );
    await pollUntil(async () => ((await node.state()) === 'exited' ? true : undefined), { timeoutMs: 20_000, what: 'the node process to exit' });
    const exitCode = await run('docker', ['inspect', '--format', '{{.State.ExitCode}}', node.containerId], { timeoutMs: 30_000 });
    expect(exitCode.stdout.trim(), 'the process exited with code 0 ("Stop Successful")').toBe('0');
    await pollUntil(async () => (node.logs.tail(200).includes('Stop Successful') ? true : undefined), { timeoutMs: 10_000, what: '"Stop Successful" in the node\'s log' });
    expect(res, 'no HTTP answer: the connection closed as the process exited').toEqual({ status: 0, data: expect.stringMatching(/ECONNRESET|socket hang up/) });
    await recorder.record({ via: 'axios', method: 'POST', route: '/v1/private/stop', request: {}, status: res.status, response: res.data, ms: 0, outcome: 'positive' });
  });
});
