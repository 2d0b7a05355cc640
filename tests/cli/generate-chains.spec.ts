/**
 * `pocket util generate-chains`: the operator's interactive way to write chains.json, driven through
 * a terminal as an operator types (its prompts read a terminal line by line: network/terminal.ts).
 * Each run uses a scratch datadir under /tmp in the container, never the running node's.
 */
import { test, expect } from '../../fixtures/pocket';
import { pocketCli, pocketCliInTerminal, printedLines, type CliResult } from '../../fixtures/cli';

const scratch = (what: string) => `/tmp/generate-chains-${what}-${Date.now()}`;
const ASK_ID = 'Enter the ID of the network identifier:';
const ASK_URL = 'Enter the URL of the network identifier:';
const ASK_MORE = 'Would you like to enter another network identifier? (y/n)';
const RETRY = 'please try again';
const refusedId = (why: string) => [`the network Identifier is not valid: ${why}`, RETRY];

/** What the command printed, without the terminal's echo of the typed answers. */
function programLines(res: CliResult, answers: string[]): string[] {
  const echoed = [...answers];
  return printedLines(res).filter((line) => {
    const at = echoed.indexOf(line);
    if (at < 0) return true;
    echoed.splice(at, 1);
    return false;
  });
}

test.describe('pocket util generate-chains', () => {
  test('refuses a non-hex, an over-long and an empty chain id and asks again; writes exactly the chains entered', async ({ network }) => {
    const node = network.node(3);
    const datadir = scratch('new');
    const answers = ['zz', '000102', '', '0001', 'http://127.0.0.1:8545', 'maybe', 'y', '0002', 'http://127.0.0.1:8546', 'n'];
    const res = await pocketCliInTerminal(node, ['util', 'generate-chains'], answers, { datadir });
    expect(res.exitCode).toBe(0);
    const lines = programLines(res, answers);
    const listing = lines.slice(-3, -1);
    expect(lines.slice(0, -3), 'every prompt, refusal and retry in order').toEqual([
      ASK_ID, ...refusedId("encoding/hex: invalid byte: U+007A 'z'"),
      ASK_ID, ...refusedId('net id length is > 2'),
      ASK_ID, ...refusedId('net id is empty'),
      ASK_ID, ASK_URL, ASK_MORE, `unrecognized response, ${RETRY}`,
      ASK_ID, ASK_URL, ASK_MORE,
      'chains.json contains:',
    ]);
    // The listing comes from a Go map: its order is not defined.
    expect([...listing].sort()).toEqual(['0001 @ http://127.0.0.1:8545', '0002 @ http://127.0.0.1:8546']);
    expect(lines.at(-1)).toBe('If incorrect: please remove the chains.json with the delete-chains command');
    const written = JSON.parse((await node.exec(['cat', `${datadir}/config/chains.json`])).stdout);
    expect(written, 'chains.json holds the two chains entered, in order, and nothing refused').toEqual([
      { id: '0001', url: 'http://127.0.0.1:8545', basic_auth: { username: '', password: '' } },
      { id: '0002', url: 'http://127.0.0.1:8546', basic_auth: { username: '', password: '' } },
    ]);
  });

  test('with a chains.json in place it asks nothing, lists that file and leaves it unchanged', async ({ network }) => {
    const node = network.node(3);
    const datadir = scratch('existing');
    const existing = JSON.stringify([{ id: '0021', url: 'http://127.0.0.1:9545' }]);
    await node.exec(['sh', '-c', `mkdir -p ${datadir}/config && printf '%s' '${existing}' > ${datadir}/config/chains.json`]);
    const res = await pocketCli(node, ['util', 'generate-chains'], { datadir });
    expect(res.exitCode).toBe(0);
    expect(printedLines(res)).toEqual([
      'chains.json contains:',
      '0021 @ http://127.0.0.1:9545',
      'If incorrect: please remove the chains.json with the delete-chains command',
    ]);
    expect((await node.exec(['cat', `${datadir}/config/chains.json`])).stdout).toBe(existing);
  });
});
