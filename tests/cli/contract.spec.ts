/** The CLI's argument contract: a changed message shape or exit code breaks node runners' scripts. */
import { test, expect } from '../../fixtures/pocket';
import { pocketCli } from '../../fixtures/cli';

test.describe('CLI contract', () => {
  const wrongArity: Array<[string[], number]> = [
    [['accounts', 'send-tx', 'a', 'b'], 6],
    [['query', 'tx'], 1],
    [['nodes', 'unjail'], 5],
    [['gov', 'transfer', '1'], 5],
    [['apps', 'create-aat'], 2],
  ];
  for (const [args, want] of wrongArity) {
    test(`pocket ${args.join(' ')} with the wrong number of arguments exits 1 and prints its usage`, async ({ network }) => {
      const res = await pocketCli(network.node(4), args);
      expect(res.exitCode).toBe(1);
      const out = res.stdout + res.stderr;
      expect(out).toMatch(new RegExp(`Error: (accepts ${want} arg\\(s\\)|requires at least)`));
      expect(out).toContain('Usage:');
    });
  }

  test('version prints the AppVersion of the binary under test', async ({ network }) => {
    const res = await pocketCli(network.node(1), ['version']);
    expect(res.exitCode).toBe(0);
    expect(res.stdout).toContain(`AppVersion: ${network.image.core?.appVersion ?? ''}`);
  });

  test('util print-configs prints a config with both halves', async ({ network }) => {
    const res = await pocketCli(network.node(1), ['util', 'print-configs']);
    const json = JSON.parse(res.stdout.slice(res.stdout.indexOf('{')));
    expect(json).toHaveProperty('tendermint_config');
    expect(json).toHaveProperty('pocket_config');
  });

  test('start with a datadir that has no genesis fails with a clear error instead of running', async ({ network }) => {
    const res = await network.node(1).exec(['sh', '-c', 'mkdir -p /tmp/no-genesis && timeout 20 pocket start --datadir=/tmp/no-genesis --keybase=false; echo "exit=$?"']);
    const out = res.stdout + res.stderr;
    expect(out).not.toContain('exit=124');
    expect(out).toMatch(/genesis|no Keys stored/i);
  });
});
