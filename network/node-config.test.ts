import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chainsJson, consensusTimeouts, nodeConfig, peerAddress } from './node-config';
import { defaultSpec, EVM_CHAIN, POCKET_CHAIN } from './spec';

test('consensus timeouts follow the block time (nanoseconds), not mainnet defaults', () => {
  const t = consensusTimeouts(1000);
  assert.equal(t.TimeoutCommit, 1_000_000_000);
  assert.ok(t.TimeoutPropose <= 3_000_000_000);
  assert.equal(t.CreateEmptyBlocks, true);
});

test('peers almost never send +2/3 claims: they would feed each node a different proposer hash', () => {
  assert.equal(consensusTimeouts(1000).PeerQueryMaj23SleepDuration, 3_600_000 * 1_000_000);
});

test('timeout_commit defaults to the block time and can be set apart from it', () => {
  assert.equal(consensusTimeouts(1000).TimeoutCommit, 1_000_000_000);
  assert.equal(consensusTimeouts(1000, 2500).TimeoutCommit, 2_500_000_000);
  assert.equal(nodeConfig(defaultSpec({ timing: { ...defaultSpec().timing, commitTimeoutMs: 1500 } }), 'node1', []).tendermint_config.Consensus.TimeoutCommit, 1_500_000_000);
});

test('node config lists peers and keeps tendermint RPC on loopback', () => {
  const cfg = nodeConfig(defaultSpec(), 'node1', ['a@node2.pokt.local:26656']);
  assert.equal(cfg.tendermint_config.P2P.PersistentPeers, 'a@node2.pokt.local:26656');
  assert.match(cfg.tendermint_config.RPC.ListenAddress, /127\.0\.0\.1/);
  assert.equal(cfg.tendermint_config.FastSyncMode, false);
  assert.equal(cfg.pocket_config.rpc_port, '8081');
});

test('chains.json points 0001 at the node itself and the EVM chain at anvil', () => {
  assert.deepEqual(chainsJson([POCKET_CHAIN, EVM_CHAIN], 'anvil.pokt.local').map((c) => [c.id, c.url]), [
    ['0001', 'http://127.0.0.1:8081/'],
    ['0021', 'http://anvil.pokt.local:8545/'],
  ]);
});

test('peer ids are lower-case validator addresses', () => {
  assert.equal(peerAddress('ABCD', 'node2.pokt.local'), 'abcd@node2.pokt.local:26656');
});
