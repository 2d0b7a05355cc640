/**
 * Params stay valid and change only by their ACL owner. The ranges are those each module's
 * genesis validation enforces (x/nodes/types/params.go, x/apps/types/params.go,
 * x/pocketcore/types/params.go Validate); a DAO change_param skips that validation
 * (x/gov/keeper/params.go ModifyParam), so an accepted out-of-range value would show here.
 */
import { readAllParams } from './chain';
import { NotAuditable, type AuditContext, type Violation } from './types';

type Rule = [key: string, holds: (v: number, all: Map<string, string>) => boolean, range: string];

const num = (all: Map<string, string>, key: string) => Number(all.get(key));

const RULES: Rule[] = [
  ['pos/MaxValidators', (v) => v > 0, '> 0'],
  ['pos/StakeMinimum', (v) => v > 0, '> 0'],
  ['pos/BlocksPerSession', (v) => v >= 2, '≥ 2'],
  ['pos/DAOAllocation', (v) => v >= 0, '≥ 0'],
  ['pos/ProposerPercentage', (v, all) => v >= 0 && v + num(all, 'pos/DAOAllocation') <= 100, '≥ 0, and with pos/DAOAllocation ≤ 100'],
  ['pos/MinSignedPerWindow', (v) => v >= 0 && v <= 1, 'in [0, 1]'],
  ['pos/SlashFractionDoubleSign', (v) => v >= 0 && v <= 1, 'in [0, 1]'],
  ['pos/SlashFractionDowntime', (v) => v >= 0 && v <= 1, 'in [0, 1]'],
  ['pos/SignedBlocksWindow', (v) => v > 0, '> 0'],
  ['application/MaxApplications', (v) => v > 0, '> 0'],
  ['application/ApplicationStakeMinimum', (v) => v > 0, '> 0'],
  ['application/BaseRelaysPerPOKT', (v) => v >= 0, '≥ 0'],
  ['pocketcore/SessionNodeCount', (v) => v >= 1 && v <= 25, 'in [1, 25]'],
  ['pocketcore/ClaimSubmissionWindow', (v) => v >= 2, '≥ 2'],
  ['pocketcore/ClaimExpiration', (v, all) => v >= num(all, 'pocketcore/ClaimSubmissionWindow'), '≥ pocketcore/ClaimSubmissionWindow'],
  ['pocketcore/ReplayAttackBurnMultiplier', (v) => v >= 0, '≥ 0'],
];

/** Every param the version has is within the range its module's validation allows. */
export async function checkParamRanges(ctx: AuditContext, height: number): Promise<Violation[]> {
  const all = await readAllParams(ctx.chain, 0, height);
  const out: Violation[] = [];
  if (all.has('pos/StakeDenom') && !all.get('pos/StakeDenom')) out.push({ law: 'params.valid', height, detail: 'pos/StakeDenom is empty' });
  for (const [key, holds, range] of RULES) {
    if (!all.has(key)) continue; // a key the version does not have
    const v = Number(all.get(key));
    if (!Number.isFinite(v) || !holds(v, all)) out.push({ law: 'params.valid', height, detail: `${key} = ${all.get(key)}, outside its valid range (${range})` });
  }
  return out;
}

interface AclEntry { acl_key: string; address: string }

/** The ACL as the gov/acl param holds it ({type, value: [{acl_key, address}]}). */
function aclOf(all: Map<string, string>): Map<string, string> {
  const raw = JSON.parse(all.get('gov/acl') ?? '{}') as { value?: AclEntry[] } | AclEntry[];
  const entries = Array.isArray(raw) ? raw : raw.value ?? [];
  return new Map(entries.map((e) => [e.acl_key, String(e.address).toLowerCase()]));
}

/** Every successful change_param of the interval was signed by the key's ACL owner at the height before it. */
export async function checkParamAcl(ctx: AuditContext, height: number, previous?: number): Promise<Violation[]> {
  const changes = (await ctx.txsBetween(previous ?? height - 1, height)).filter((t) => t.code === 0 && t.messageType === 'change_param');
  const out: Violation[] = [];
  for (const tx of changes) {
    if (tx.height - 1 < ctx.fromHeight) continue;
    const key = String((tx.msg?.value ?? tx.msg)?.param_key ?? '');
    if (!key) throw new NotAuditable(`change_param tx ${tx.hash} shows no param_key in its decoded message`);
    const owner = aclOf(await readAllParams(ctx.chain, 0, tx.height - 1)).get(key);
    if (owner !== tx.signer) out.push({ law: 'params.acl', height: tx.height, detail: `change_param of ${key} in tx ${tx.hash} was signed by ${tx.signer}, the ACL owner at ${tx.height - 1} is ${owner ?? 'nobody'}` });
  }
  return out;
}
