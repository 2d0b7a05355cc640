/**
 * `pocket util …` commands that work offline, each against a scratch datadir under /tmp in the
 * container (never the running node's). generate-chains (prompts read through a terminal) and the
 * offline tools reset and export-genesis-for-reset have files of their own.
 */
import { test, expect } from '../../fixtures/pocket';
import { pocketCli } from '../../fixtures/cli';

const scratch = (what: string) => `/tmp/util-${what}-${Date.now()}`;

test.describe('pocket util', () => {
  test('decode-tx prints the type, fee, memo, signer and public key of a stored protobuf tx', async ({ network, chain, rawRpc, accounts }) => {
    const [from, to] = accounts(2);
    const sent = await chain.send(from, to.address, 4_242n, { memo: 'decode me' });
    const stored = await rawRpc.post<{ tx: string; stdTx: { entropy: number } }>(network.node(1).rpcUrl, '/v1/query/tx', { hash: sent.hash });
    const res = await pocketCli(network.node(1), ['util', 'decode-tx', stored.data.tx, 'false'], { datadir: scratch('decode') });
    expect(res.exitCode).toBe(0);
    const field = (name: string) => res.stdout.match(new RegExp(`^${name}:?\\t+(.*)$`, 'm'))?.[1];
    expect(field('Type')).toBe('send');
    expect(field('Fee')).toBe('10000upokt');
    expect(field('Memo')).toBe('decode me');
    expect(field('Signers')).toBe(`[${from.address.toUpperCase()}]`);
    expect(field('Sig'), 'the signature line shows the signer public key').toBe(from.publicKey);
    expect(Number(field('Entropy')), 'same entropy as the node stored').toBe(stored.data.stdTx.entropy);
    expect(field('Msg')).toContain('amount:"4242"');
  });

  test('update-configs rewrites config.json with the new defaults, keeps own settings and backs up the old file', async ({ network }) => {
    const node = network.node(3);
    const datadir = scratch('update');
    const original = JSON.stringify({ pocket_config: { rpc_port: '9999' }, tendermint_config: { Mempool: { Size: 5 } } });
    await node.exec(['sh', '-c', `mkdir -p ${datadir}/config && echo '${original}' > ${datadir}/config/config.json`]);
    const res = await pocketCli(node, ['util', 'update-configs'], { datadir });
    expect(res.exitCode).toBe(0);
    expect(res.stdout).toContain('Successfully updated config file.');
    const updated = JSON.parse((await node.exec(['cat', `${datadir}/config/config.json`])).stdout) as {
      pocket_config: { rpc_port: string; data_dir: string };
      tendermint_config: { Mempool: { Size: number }; P2P: { MaxNumOutboundPeers: number; MaxNumInboundPeers: number } };
    };
    expect(updated.pocket_config.rpc_port, 'own settings are kept').toBe('9999');
    expect(updated.tendermint_config.Mempool.Size, 'the mempool default is applied').toBe(9000);
    expect(updated.tendermint_config.P2P).toMatchObject({ MaxNumOutboundPeers: 7, MaxNumInboundPeers: 28 });
    expect((await node.exec(['cat', `${datadir}/config/config.json.bk`])).stdout.trim(), 'the old file is backed up').toBe(original);
  });

  test('delete-chains removes chains.json, and a second call fails with exit code 3', async ({ network }) => {
    const node = network.node(3);
    const datadir = scratch('chains');
    await node.exec(['sh', '-c', `mkdir -p ${datadir}/config && echo '[]' > ${datadir}/config/chains.json`]);
    const first = await pocketCli(node, ['util', 'delete-chains'], { datadir });
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toContain('Successfully deleted chains.json.');
    expect((await node.exec(['ls', `${datadir}/config`])).stdout).not.toContain('chains.json\n');
    const second = await pocketCli(node, ['util', 'delete-chains'], { datadir });
    expect(second.exitCode).toBe(3);
    expect(second.stdout).toContain(`could not delete ${datadir}/config/chains.json file`);
  });

  test('convert-pocket-evidence-db on a datadir with no evidence succeeds and creates the evidence DB', async ({ network }) => {
    const node = network.node(3);
    const datadir = scratch('evidence');
    const res = await pocketCli(node, ['util', 'convert-pocket-evidence-db'], { datadir });
    expect(res.exitCode).toBe(0);
    expect(res.stdout).toContain('Successfully converted evidence to proto');
    expect((await node.exec(['ls', datadir])).stdout).toContain('pocket_evidence.db');
  });

  test('completion prints a shell completion script for each shell', async ({ network }) => {
    for (const [shell, marker] of [['bash', '# bash completion for pocket'], ['zsh', '# zsh completion for pocket'], ['fish', '# fish completion for pocket'], ['powershell', '# powershell completion for pocket']] as const) {
      const res = await pocketCli(network.node(3), ['util', 'completion', shell], { datadir: scratch('completion') });
      expect(res.exitCode, shell).toBe(0);
      expect(res.stdout, shell).toContain(marker);
    }
  });
});
