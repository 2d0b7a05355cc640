import { test, expect } from '../../fixtures/pocket';
import { currentSession, postRelay, relayTo } from '../../fixtures/relay';
import { run } from '../../network/process';
import { pollUntil } from '../../network/poll';

test('the EVM chain going down: relays get a clear error, nodes stay healthy, relays work again when it returns', async ({ startNetwork, rawRpc }) => {
  const net = await startNetwork((b) => b.withNodes(4).withApps(1).withAccounts(0).withFeatures());
  const anvil = net.anvilHandle!;
  const app = net.keys.apps[0];
  const before = await currentSession(net, rawRpc, app, '0021');
  expect((await postRelay(rawRpc, before.servicers[0], relayTo(before, before.servicers[0], app, '0021'))).status).toBe(200);

  await test.step('stop the anvil container', async () => {
    expect((await run('docker', ['stop', '-t', '0', anvil.getId()])).code).toBe(0);
  });
  const during = await currentSession(net, rawRpc, app, '0021');
  const refused = await postRelay(rawRpc, during.servicers[0], relayTo(during, during.servicers[0], app, '0021'));
  expect(refused.status).toBe(400);
  expect(refused.error?.codespace).toBe('pocketcore');
  expect(refused.error?.message, 'the error says the chain request failed').toMatch(/http|execution|connect|refused|no such host/i);
  const start = await net.height();
  await net.waitForHeight(start + 2);

  await test.step('start anvil again (same container, same alias)', async () => {
    expect((await run('docker', ['start', anvil.getId()])).code).toBe(0);
  });
  await pollUntil(async () => {
    const s = await currentSession(net, rawRpc, app, '0021');
    return (await postRelay(rawRpc, s.servicers[0], relayTo(s, s.servicers[0], app, '0021'))).status === 200 ? true : undefined;
  }, { timeoutMs: 30_000, intervalMs: 500, what: 'relays to the EVM chain to work again' });
});
