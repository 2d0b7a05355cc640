/** The CLI's argument contract: a changed message shape or exit code breaks node runners' scripts. */
import { test, expect } from '../../fixtures/pocket';
import { pocketCli } from '../../fixtures/cli';
import { expectUnlessKnownDefect } from '../../fixtures/known-defect';

test.describe('CLI contract', () => {
  const wrongArity: Array<[string[], number]> = [
    [['accounts', 'send-tx', 'a', 'b'], 6],
    [['query', 'tx'], 1],
    [['nodes', 'unjail'], 5],
    [['gov', 'transfer', '1'], 5],
    [['apps', 'create-aat'], 2],
    [['accounts', 'create-multi-public'], 1],
    [['nodes', 'stake', 'custodial', 'a'], 7],
    [['apps', 'unstake'], 3],
    [['gov', 'change_param', 'a'], 5],
    [['query', 'signing-info'], 1],
    [['util', 'decode-tx'], 2],
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

  test('pocket query account-txs with more than 7 arguments exits 1 and prints its usage', async ({ network }) => {
    const res = await pocketCli(network.node(4), ['query', 'account-txs', 'a', '1', '1', 'false', 'false', 'asc', '0', 'extra']);
    expect(res.exitCode).toBe(1);
    expect(res.stdout + res.stderr).toContain('Error: accepts between 1 and 7 arg(s), received 8');
    expect(res.stdout + res.stderr).toContain('Usage:');
  });

  test('pocket query param without its key exits 1 and prints its usage', async ({ network }) => {
    const res = await pocketCli(network.node(4), ['query', 'param']);
    const out = res.stdout + res.stderr;
    // The command declares no Args rule and indexes args[1] when it has not one argument.
    const observed = {
      exitCode: res.exitCode,
      panic: out.split('\n').find((l) => l.startsWith('panic: ')) ?? null,
      usagePrinted: out.includes('Usage:'),
    };
    await expectUnlessKnownDefect('PC-CLI-QUERY-PARAM-PANIC', observed, {
      correct: { exitCode: 1, panic: null, usagePrinted: true },
      defect: { exitCode: 2, panic: 'panic: runtime error: index out of range [1] with length 0', usagePrinted: false },
    }, network);
  });

  // A malformed argument must be refused with its parse error and a non-zero exit code.
  const malformed: Array<{ args: string[]; message: string; exitsNonZero: boolean }> = [
    { args: ['gov', 'upgrade', 'a29ee1d63dc43f00a1443e4c1d50e685c2ce798f', 'not-a-height', '0.9.2', 'pocket-e2e', '10000'], message: 'strconv.Atoi: parsing "not-a-height": invalid syntax', exitsNonZero: true },
    { args: ['util', 'completion', 'nosh'], message: 'Error: invalid argument "nosh" for "pocket util completion"', exitsNonZero: true },
    { args: ['accounts', 'send-tx', 'a29ee1d63dc43f00a1443e4c1d50e685c2ce798f', 'a29ee1d63dc43f00a1443e4c1d50e685c2ce798f', 'ten', 'pocket-e2e', '10000', 'memo'], message: 'strconv.Atoi: parsing "ten": invalid syntax', exitsNonZero: false },
    { args: ['accounts', 'create-multi-public', 'not-hex,also-not'], message: 'error in public key creation: encoding/hex: invalid byte', exitsNonZero: false },
    { args: ['nodes', 'unjail', 'a29ee1d63dc43f00a1443e4c1d50e685c2ce798f', 'a29ee1d63dc43f00a1443e4c1d50e685c2ce798f', 'pocket-e2e', 'free', 'false'], message: 'strconv.Atoi: parsing "free": invalid syntax', exitsNonZero: false },
    { args: ['nodes', 'unstake', 'zz', 'zz', 'pocket-e2e', '10000', 'false'], message: "encoding/hex: invalid byte: U+007A 'z'", exitsNonZero: false },
    { args: ['apps', 'stake', 'a29ee1d63dc43f00a1443e4c1d50e685c2ce798f', 'lots', '0001', 'pocket-e2e', '10000'], message: 'strconv.Atoi: parsing "lots": invalid syntax', exitsNonZero: false },
    { args: ['gov', 'transfer', 'much', 'a29ee1d63dc43f00a1443e4c1d50e685c2ce798f', 'a29ee1d63dc43f00a1443e4c1d50e685c2ce798f', 'pocket-e2e', '10000'], message: 'strconv.Atoi: parsing "much": invalid syntax', exitsNonZero: false },
    { args: ['query', 'block', 'latest'], message: 'strconv.Atoi: parsing "latest": invalid syntax', exitsNonZero: false },
    { args: ['query', 'balance', 'zz'], message: "the http status code was not okay: 400", exitsNonZero: false },
    { args: ['util', 'decode-tx', 'not-base64', 'false'], message: 'an error occurred unmarshalling the transaction string illegal base64 data', exitsNonZero: false },
  ];
  for (const { args, message } of malformed.filter((m) => m.exitsNonZero)) {
    test(`pocket ${args.slice(0, 3).join(' ')} with a malformed argument prints the parse error and exits non-zero`, async ({ network }) => {
      const res = await pocketCli(network.node(4), args);
      const out = res.stdout + res.stderr;
      expect(out).toContain(message);
      expect(res.exitCode).not.toBe(0);
    });
  }

  // One test for every command group's exit-0 case: each failing test costs its worker (and network) a restart.
  test('accounts, nodes, apps, gov, query and util commands with a malformed argument print the parse error and exit non-zero', async ({ network }) => {
    const exitCodes: Array<[string, number]> = [];
    for (const { args, message } of malformed.filter((m) => !m.exitsNonZero)) {
      const res = await pocketCli(network.node(4), args);
      const out = res.stdout + res.stderr;
      expect(out, `pocket ${args.join(' ')} prints the parse error`).toContain(message);
      expect(out, 'no usage: the arity was right').not.toContain('Usage:');
      exitCodes.push([`pocket ${args.slice(0, 3).join(' ')}`, res.exitCode]);
    }
    await expectUnlessKnownDefect('PC-CLI-ERRORS-EXIT-ZERO', exitCodes, {
      correct: exitCodes.map(([cmd]) => [cmd, 1]),
      defect: exitCodes.map(([cmd]) => [cmd, 0]),
    }, network);
  });

  test('version prints the AppVersion of the binary under test', async ({ network }) => {
    const res = await pocketCli(network.node(1), ['version']);
    expect(res.exitCode).toBe(0);
    expect(res.stdout).toContain(`AppVersion: ${network.image.appVersion}`);
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
