import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildGenesis, deriveNetworkKeys } from './genesis';
import { LEAN_KEYS_FILE, leanHandles, leanKeysFile, leanPeers, leanPlans } from './lean-node';
import type { PocketNode } from './pocket-node';
import { defaultSpec, LEAN_STAKE_UPOKT, UPOKT_PER_ACCOUNT } from './spec';

const spec = defaultSpec({ seed: 'unit', nodes: 3, apps: 1, accounts: 0, leanNodes: [{ servicers: 2, stakeUpokt: LEAN_STAKE_UPOKT.toString() }] });
const keys = deriveNetworkKeys(spec);
const layout = { hostPorts: [[31001, 31002]], serviceUrls: [['http://127.0.0.1:31001', 'http://127.0.0.1:31002']] };

test('lean keys are their own, staked in genesis with their stake and service URL, and funded', () => {
  assert.equal(keys.lean.length, 1);
  assert.equal(keys.lean[0].length, 2);
  const all = [...keys.validators, ...keys.lean[0]].map((k) => k.address);
  assert.equal(new Set(all).size, 5, 'five distinct validator keys');
  const g = buildGenesis(spec, keys, new Date('2026-01-01T00:00:00Z'), keys.validators.map((_, i) => `http://127.0.0.1:${30000 + i}`), layout.serviceUrls);
  const vals = new Map(g.app_state.pos.validators.map((v) => [v.address, v]));
  keys.lean[0].forEach((k, i) => {
    assert.equal(vals.get(k.address)?.tokens, LEAN_STAKE_UPOKT.toString());
    assert.equal(vals.get(k.address)?.service_url, layout.serviceUrls[0][i]);
    assert.deepEqual(vals.get(k.address)?.chains, ['0001', '0021']);
  });
  const funded = new Map(g.app_state.auth.accounts.map((a) => [a.value.address, BigInt(a.value.coins[0].amount)]));
  for (const k of keys.lean[0]) assert.equal(funded.get(k.address), UPOKT_PER_ACCOUNT);
});

test('the key file is what set-validators reads: a JSON array of {priv_key} in hex', () => {
  assert.deepEqual(JSON.parse(leanKeysFile(keys.lean[0])), keys.lean[0].map((k) => ({ priv_key: k.privateKey })));
});

test('a lean plan: lean config, key file, every service URL bound to its RPC, peered with the first key as node id', () => {
  const [plan] = leanPlans(spec, keys, layout, { genesis: '{}', chains: '[]' });
  assert.equal(plan.name, 'lean1');
  assert.equal(plan.index, 4);
  assert.equal(plan.hostPort, 31001);
  assert.deepEqual(plan.extraHostPorts, [31002]);
  assert.equal(plan.files[LEAN_KEYS_FILE], leanKeysFile(keys.lean[0]));
  const config = JSON.parse(plan.config);
  assert.equal(config.pocket_config.lean_pocket, true);
  assert.equal(config.pocket_config.lean_pocket_user_key_file, LEAN_KEYS_FILE);
  assert.equal(config.tendermint_config.P2P.PersistentPeers.split(',').length, 3);
  assert.ok(plan.preStart?.some((l) => l.includes('pocket accounts set-validators')));
  assert.deepEqual(leanPeers(keys), [`${keys.lean[0][0].address}@lean1.pokt.local:26656`]);
  const [handle] = leanHandles(keys, layout, [{ name: 'lean1' } as PocketNode]);
  assert.deepEqual(handle.servicers.map((s) => [s.address, s.serviceUrl, s.index]), keys.lean[0].map((k, i) => [k.address, layout.serviceUrls[0][i], i + 1]));
});
