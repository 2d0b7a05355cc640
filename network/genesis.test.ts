import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACL_KEYS, buildGenesis, deepMerge, deriveNetworkKeys, divideDec, maxRelaysForStake } from './genesis';
import { defaultSpec, UPOKT_PER_ACCOUNT } from './spec';

const spec = defaultSpec({ seed: 'unit', nodes: 4, apps: 2, accounts: 3 });
const keys = deriveNetworkKeys(spec);
const genesis = buildGenesis(spec, keys, new Date('2026-01-01T00:00:00Z'), keys.validators.map((_, i) => `http://127.0.0.1:${30000 + i}`));

test('every validator is staked for every chain with its service URL', () => {
  const vals = genesis.app_state.pos.validators;
  assert.equal(vals.length, 4);
  vals.forEach((v, i) => {
    assert.equal(v.address, keys.validators[i].address);
    assert.equal(v.status, 2);
    assert.deepEqual(v.chains, ['0001', '0021']);
    assert.equal(v.service_url, `http://127.0.0.1:${30000 + i}`);
  });
});

test('a validator listed in jailedAtGenesis is staked and jailed; the others are not jailed', () => {
  const g = buildGenesis({ ...spec, jailedAtGenesis: [4] }, keys);
  assert.deepEqual(g.app_state.pos.validators.map((v) => [v.jailed, v.status]), [[false, 2], [false, 2], [false, 2], [true, 2]]);
  assert.ok(genesis.app_state.pos.validators.every((v) => !v.jailed));
});

test('apps are staked with max_relays from their stake, accounts and the DAO owner are funded', () => {
  const apps = genesis.app_state.application.applications;
  assert.equal(apps.length, 2);
  for (const a of apps) assert.equal(a.max_relays, maxRelaysForStake(BigInt(a.staked_tokens)).toString());
  const funded = new Map(genesis.app_state.auth.accounts.map((a) => [a.value.address, BigInt(a.value.coins[0].amount)]));
  for (const k of [...keys.accounts, keys.daoOwner, ...keys.validators, ...keys.apps]) assert.equal(funded.get(k.address), UPOKT_PER_ACCOUNT);
});

test('session_node_count leaves a servicer outside every session by default', () => {
  assert.ok(Number(genesis.app_state.pocketcore.params.session_node_count) < spec.nodes);
});

test('durations are nanoseconds and respect pocket-core minimums', () => {
  const pos = genesis.app_state.pos.params;
  assert.equal(pos.downtime_jail_duration, String(BigInt(spec.timing.downtimeJailSeconds) * 1_000_000_000n));
  assert.ok(BigInt(pos.downtime_jail_duration) >= 60_000_000_000n);
  assert.ok(Number(pos.signed_blocks_window) >= 10);
  assert.ok(Number(genesis.app_state.pocketcore.params.proof_waiting_period) >= 2);
});

test('the DAO owner owns every ACL key, each key named once', () => {
  const acl = genesis.app_state.gov.params.acl;
  assert.equal(new Set(acl.map((a) => a.acl_key)).size, ACL_KEYS.length);
  for (const entry of acl) assert.equal(entry.address, keys.daoOwner.address);
  assert.equal(genesis.app_state.gov.params.dao_owner, keys.daoOwner.address);
});

test('genesis overrides merge objects and replace scalars and arrays', () => {
  assert.deepEqual(deepMerge({ a: { b: 1, c: [1] }, d: 1 }, { a: { c: [2] }, d: 2 }), { a: { b: 1, c: [2] }, d: 2 });
  const g = buildGenesis({ ...spec, genesisOverrides: { pos: { params: { stake_minimum: '99' } } } }, keys);
  assert.equal(g.app_state.pos.params.stake_minimum, '99');
  assert.equal(g.app_state.pos.params.stake_denom, 'upokt');
});

test('divideDec turns an exported block count back into the exact fraction', () => {
  assert.equal(divideDec('6.000000000000000000', 10n), '0.600000000000000000');
  assert.equal(divideDec('5', 8n), '0.625000000000000000');
});
