/**
 * pocket-js's session refresh. It caches the dispatched session per AAT and chain; when a
 * servicer answers a relay with pocketcore code 60 (invalid block height: the relay's session is
 * outside the node's session tolerance), 75 (out of sync) or 14 (invalid session), it drops the
 * cached session, takes the new one from the error's `dispatch` (or dispatches again) up to
 * maxSessionRefreshRetries (Configuration arg 8) times, and resends the relay once refreshed.
 * A loopback proxy is pocket-js's only dispatcher and sees every dispatch and relay.
 */
import { test, expect } from '../../fixtures/pocket';
import { relayClient } from '../../fixtures/relay';
import { startRelayProxy, type RelayProxy, type RelayProxyOptions } from '../../fixtures/relay-proxy';
import type { StartedPocketNetwork } from '../../network/pocket-network';
import type { PocketJs } from '../../fixtures/sdk';
import { expectUnlessKnownDefect } from '../../fixtures/known-defect';

const ETH_CHAIN_ID = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] });

async function proxiedPocket(sdk: PocketJs, net: StartedPocketNetwork, maxSessionRefreshRetries: number, opts: RelayProxyOptions = {}) {
  const proxy = await startRelayProxy(net, opts);
  const url = new URL(proxy.url);
  const config = new sdk.Configuration(1, 1000, 0, 10_000, false, net.spec.timing.blocksPerSession, net.spec.timing.blockTimeMs, maxSessionRefreshRetries, true, false, false);
  return { proxy, pocket: new sdk.Pocket([url], new sdk.HttpRpcProvider(url), config) };
}

const relayOnce = (sdk: PocketJs, pocket: InstanceType<PocketJs['Pocket']>, aat: InstanceType<PocketJs['PocketAAT']>) =>
  pocket.sendRelay(ETH_CHAIN_ID, '0021', aat, undefined, undefined, sdk.HTTPMethod.POST, '');

function relayResponse(sdk: PocketJs, res: unknown) {
  if (res instanceof sdk.RpcError) throw new Error(`relay failed: ${res.code} ${res.message}`);
  expect(res).toBeInstanceOf(sdk.RelayResponse);
  return res as InstanceType<PocketJs['RelayResponse']>;
}

/** Waits until a session that started at `sessionHeight` is outside the servicers' tolerance (one session back). */
async function outlive(chain: { waitForHeight(h: number, t?: number): Promise<number> }, net: StartedPocketNetwork, sessionHeight: number): Promise<void> {
  await chain.waitForHeight(sessionHeight + 2 * net.spec.timing.blocksPerSession + 1, 60_000);
}

test.describe('pocket-js session refresh', () => {
  let proxy: RelayProxy | undefined;
  test.afterEach(async () => { await proxy?.close(); proxy = undefined; });

  test('a relay on a cached session the servicers no longer accept is refreshed from the error and succeeds, without a new dispatch', async ({ network, sdk, chain }) => {
    const made = await proxiedPocket(sdk, network, 3);
    proxy = made.proxy;
    const rc = await relayClient(sdk, made.pocket, network.keys.apps[0]);

    const first = relayResponse(sdk, await relayOnce(sdk, made.pocket, rc.aat));
    const oldSession = Number(first.relayRequest.proof.sessionBlockHeight);
    expect({ dispatches: proxy.dispatches, relays: proxy.relays.length }).toEqual({ dispatches: 1, relays: 1 });

    await outlive(chain, network, oldSession);
    const second = relayResponse(sdk, await relayOnce(sdk, made.pocket, rc.aat));
    expect(JSON.parse(second.payload)).toMatchObject({ result: '0x7a69' });
    expect(Number(second.relayRequest.proof.sessionBlockHeight), 'the resent relay is on a newer session').toBeGreaterThan(oldSession);
    expect(proxy.relays.length, 'the stale relay, then the resent one').toBe(3);
    expect(proxy.relays[1]).toMatchObject({ status: 400, body: { error: { code: 60 } } });
    expect(proxy.relays[1].body.dispatch?.session?.header?.session_height, 'the servicer sent the new session with its error').toBeGreaterThan(oldSession);
    expect(proxy.dispatches, 'the new session came from the error, not from a dispatch').toBe(1);
  });

  test('with maxSessionRefreshRetries = 0 the stale relay returns an RpcError (code 60) at once; the next relay dispatches again and succeeds', async ({ network, sdk, chain }) => {
    const made = await proxiedPocket(sdk, network, 0);
    proxy = made.proxy;
    const rc = await relayClient(sdk, made.pocket, network.keys.apps[1]);
    const first = relayResponse(sdk, await relayOnce(sdk, made.pocket, rc.aat));
    await outlive(chain, network, Number(first.relayRequest.proof.sessionBlockHeight));

    const stale = await relayOnce(sdk, made.pocket, rc.aat);
    expect(stale).toBeInstanceOf(sdk.RpcError);
    expect((stale as InstanceType<PocketJs['RpcError']>).code).toBe('60');
    expect({ dispatches: proxy.dispatches, relays: proxy.relays.length }, 'no retry, no dispatch').toEqual({ dispatches: 1, relays: 2 });

    const next = relayResponse(sdk, await relayOnce(sdk, made.pocket, rc.aat));
    expect(JSON.parse(next.payload)).toMatchObject({ result: '0x7a69' });
    expect(proxy.dispatches, 'the stale session was dropped from the cache, so pocket-js dispatched again').toBe(2);
  });

  test('a servicer that keeps answering "invalid session" with ever newer sessions gets at most 1 + maxSessionRefreshRetries relays', async ({ network, sdk }) => {
    const GIVE_UP_AFTER = 12; // the proxy stops the loop itself so a looping pocket-js cannot hang the run
    const ENDED = { code: 1, codespace: 'proxy', message: 'the proxy ended the loop' };
    const INVALID = { code: 60, codespace: 'pocketcore', message: 'the block height passed is invalid' };
    const made = await proxiedPocket(sdk, network, 1, {
      answerRelay: (_relay, n, lastDispatch) => {
        if (n === 1) return undefined; // the first relay is real, to fill the cache
        if (n > GIVE_UP_AFTER) return { status: 400, body: { error: ENDED } };
        const dispatch = structuredClone(lastDispatch);
        dispatch.session.header.session_height += n * network.spec.timing.blocksPerSession;
        return { status: 400, body: { error: INVALID, dispatch } };
      },
    });
    proxy = made.proxy;
    const rc = await relayClient(sdk, made.pocket, network.keys.apps[0]);
    relayResponse(sdk, await relayOnce(sdk, made.pocket, rc.aat));
    expect(proxy.relays.map((r) => r.status), 'the real relay that filled the cache').toEqual([200]);

    const res = await relayOnce(sdk, made.pocket, rc.aat);
    expect(res, 'pocket-js gives up with an RpcError').toBeInstanceOf(sdk.RpcError);
    const err = res as InstanceType<PocketJs['RpcError']>;
    // Relays after the real one, and the error pocket-js gave up with.
    const observed = { relays: proxy.relays.length - 1, error: { code: err.code, message: err.message } };
    await expectUnlessKnownDefect('PJS-SESSION-REFRESH-UNBOUNDED', observed, {
      correct: { relays: 2, error: { code: String(INVALID.code), message: INVALID.message } },
      defect: { relays: GIVE_UP_AFTER, error: { code: String(ENDED.code), message: ENDED.message } },
    }, network);
  });
});
