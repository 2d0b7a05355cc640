/**
 * validateRelayResponses (Configuration arg 9): what pocket-js checks on a servicer's answer. A
 * loopback proxy in front of the servicers changes their signature before pocket-js sees it.
 */
import { test, expect } from '../../fixtures/pocket';
import { relayClient } from '../../fixtures/relay';
import { startRelayProxy, type ProxiedAnswer, type RelayProxy } from '../../fixtures/relay-proxy';
import { verifyServicerSignature } from '../../network/relay-crypto';
import type { StartedPocketNetwork } from '../../network/pocket-network';
import type { PocketJs } from '../../fixtures/sdk';
import { expectUnlessKnownDefect } from '../../fixtures/known-defect';

const ETH_CHAIN_ID = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] });
/** pocket-js's one answer to a relay response that fails validation (rpc/namespaces/client.js). */
const VALIDATION_FAILED = { code: '912', message: 'Relay response validation failed due to a missmatch between the relay request and relay response' };

/** The servicer's own signatures, before any tampering. */
const originals: string[] = [];
/** The last hex digit changed: still hex, no longer the servicer's signature. */
const flipped = (sig: string) => sig.slice(0, -1) + (sig.slice(-1) === '0' ? '1' : '0');
/** Flips the last hex digit of the servicer's signature. */
const flipLastHexDigit = (a: ProxiedAnswer): ProxiedAnswer => {
  if (a.status !== 200 || typeof a.body?.signature !== 'string') return a;
  originals.push(a.body.signature);
  return { ...a, body: { ...a.body, signature: flipped(a.body.signature) } };
};
/** Replaces the signature with a string that is not hex. */
const notHex = (a: ProxiedAnswer): ProxiedAnswer => (a.status === 200 ? { ...a, body: { ...a.body, signature: `zz${String(a.body.signature).slice(2)}` } } : a);

async function relayThroughTamperingProxy(sdk: PocketJs, net: StartedPocketNetwork, validate: boolean, tamper: (a: ProxiedAnswer) => ProxiedAnswer) {
  const proxy = await startRelayProxy(net, { tamperRelayAnswer: tamper });
  const url = new URL(proxy.url);
  const config = new sdk.Configuration(1, 1000, 0, 10_000, false, net.spec.timing.blocksPerSession, net.spec.timing.blockTimeMs, 1, validate, false, false);
  const pocket = new sdk.Pocket([url], new sdk.HttpRpcProvider(url), config);
  const rc = await relayClient(sdk, pocket, net.keys.apps[0]);
  const res = await pocket.sendRelay(ETH_CHAIN_ID, '0021', rc.aat, undefined, undefined, sdk.HTTPMethod.POST, '');
  return { proxy, res };
}

test.describe('pocket-js relay response validation', () => {
  let proxy: RelayProxy | undefined;
  test.afterEach(async () => { await proxy?.close(); proxy = undefined; });

  test('validation on: a servicer signature that is not hex is refused with RpcError 912', async ({ network, sdk }) => {
    const run = await relayThroughTamperingProxy(sdk, network, true, notHex);
    proxy = run.proxy;
    expect(proxy.relays.map((r) => r.status), 'the servicer answered').toEqual([200]);
    expect(run.res).toBeInstanceOf(sdk.RpcError);
    const err = run.res as InstanceType<PocketJs['RpcError']>;
    expect({ code: err.code, message: err.message }).toEqual(VALIDATION_FAILED);
  });

  test('validation off: the same tampered answer is returned to the caller as it came', async ({ network, sdk }) => {
    const run = await relayThroughTamperingProxy(sdk, network, false, notHex);
    proxy = run.proxy;
    expect(run.res).toBeInstanceOf(sdk.RelayResponse);
    const res = run.res as InstanceType<PocketJs['RelayResponse']>;
    expect(res.signature.startsWith('zz')).toBe(true);
    expect(JSON.parse(res.payload)).toMatchObject({ result: '0x7a69' });
  });

  test('validation on: a servicer signature with one flipped byte is detected', async ({ network, sdk }) => {
    originals.length = 0;
    const run = await relayThroughTamperingProxy(sdk, network, true, flipLastHexDigit);
    proxy = run.proxy;
    expect(proxy.relays.map((r) => r.status), 'the servicer answered').toEqual([200]);
    expect(originals, 'the proxy flipped one servicer signature').toHaveLength(1);
    const observed = run.res instanceof sdk.RpcError
      ? { rpcError: { code: run.res.code, message: run.res.message } }
      : await (async () => {
        const res = run.res as InstanceType<PocketJs['RelayResponse']>;
        // Our own implementation of the relay spec judges both signatures, on the proof exactly as
        // it went on the wire (pocket-js's toJSON is what it posted).
        const proof = res.relayRequest.proof.toJSON() as unknown as Parameters<typeof verifyServicerSignature>[2];
        return {
          returned: {
            payload: JSON.parse(res.payload) as unknown,
            servicerSignatureVerifies: verifyServicerSignature(res.payload, originals[0], proof),
            returnedSignatureIsTheFlippedOne: res.signature === flipped(originals[0]),
            returnedSignatureVerifies: verifyServicerSignature(res.payload, res.signature, proof),
          },
        };
      })();
    await expectUnlessKnownDefect('PJS-RELAY-SIGNATURE-UNVERIFIED', observed, {
      correct: { rpcError: VALIDATION_FAILED },
      defect: { returned: { payload: { jsonrpc: '2.0', id: 1, result: '0x7a69' }, servicerSignatureVerifies: true, returnedSignatureIsTheFlippedOne: true, returnedSignatureVerifies: false } },
    }, network);
  });
});
