/**
 * The chain laws the auditor checks from RPC state alone, one entry each. Sources are paths inside
 * the pocket-core module (RC-0.12.0). pocket-core registers no invariant of its own: every
 * module's RegisterInvariants is empty (x/nodes/module.go, x/apps/module.go, x/pocketcore/module.go,
 * x/gov/module.go, x/auth/module.go), so these are derived from the keepers that move tokens and state.
 */
import { checkBlocks, checkParams } from './law-consensus';
import { checkFees } from './law-fees';
import { checkParamAcl, checkParamRanges } from './law-params';
import { checkClaims, checkSettlement, checkStakeStatus } from './law-lifecycle';
import { checkSessions } from './law-sessions';
import { checkArithmetic, checkConservation, checkDaoNonNegative, checkPools, checkSupplyDelta } from './law-supply';
import { checkTxIndexing } from './law-txs';
import { checkPagination, checkSingleItem, checkStateExport } from './law-views';
import type { Law } from './types';

export const LAWS: readonly Law[] = [
  {
    id: 'supply.conservation',
    statement: 'the total supply equals the sum of every account balance, module accounts included',
    source: 'x/nodes/keeper/pool.go TotalTokens (supply total); x/auth/keeper/account.go GetAllAccountsExport; x/auth/keeper/supply.go MintCoins/BurnCoins (the only supply changes)',
    scope: 'height',
    limits: 'reads /v1/query/accounts, capped by pocket-core at 10000 accounts per page',
    check: checkConservation,
  },
  {
    id: 'supply.pools',
    statement: 'node_staked = Σ node tokens = staked_tokens_pool; app_staked = Σ app staked_tokens = application_staked_tokens_pool; dao = dao module account',
    source: 'x/nodes/keeper/pool.go GetStakedTokens; x/apps/keeper/pool.go GetStakedTokens; x/gov/keeper/dao.go GetDAOTokens',
    scope: 'height',
    check: checkPools,
  },
  {
    id: 'supply.arithmetic',
    statement: 'the supply route adds up: total_staked = node_staked + app_staked + dao, total_unstaked = total − total_staked, no amount negative',
    source: 'app/cmd/rpc/query.go Supply',
    scope: 'height',
    check: checkArithmetic,
  },
  {
    id: 'dao.non-negative',
    statement: 'the DAO balance is never negative',
    source: 'x/gov/keeper/dao.go DAOTransfer, DAOBurn',
    scope: 'height',
    check: checkDaoNonNegative,
  },
  {
    id: 'supply.delta',
    statement: 'a change of total supply between audited heights is explained by the blocks in between: proofs mint, DAO burns and slashes burn, nothing else',
    source: 'x/nodes/keeper/reward.go mint (RewardForRelays*); x/gov/keeper/dao.go DAOBurn; x/nodes/keeper/pool.go burnStakedTokens (slash.go, valStateChanges.go ForceValidatorUnstake); x/apps/keeper/pool.go burnStakedTokens',
    scope: 'interval',
    limits: 'the minted amount is bounded below only (≥ 0): relays × per-chain multiplier × RSCAL stake weight and the delegator/DAO/proposer split are not recomputed; slashes and force-unstakes leave no tx, so an interval with a jailed or vanished staked actor is only checked for "no unexplained growth"; an interval with both proofs and possible slashes is not checkable',
    check: checkSupplyDelta,
  },
  {
    id: 'fees.distribution',
    statement: 'the fees collected in a block go, in the next, to the DAO (floor of its share of dao + proposer allocation) and the rest to the previous proposer, to the upokt; the collector then holds only the new block\'s fees',
    source: 'x/nodes/keeper/abci.go BeginBlocker → x/nodes/keeper/reward.go blockReward; x/nodes/keeper/params.go splitFeesCollected; x/auth/ante.go DeductFees',
    scope: 'interval',
    limits: 'checked at each audited height and at every block after one with txs (at most 20 per interval); the proposer\'s gain is checked only when no tx of the block names its recipient, no proof mints and no stake of its settles; a collector refilled by proofs is bounded below only',
    check: checkFees,
  },
  {
    id: 'views.single-item',
    statement: 'every item of nodes / apps / accounts is what node / app / account / balance answer for it at the same height',
    source: 'app/query.go QueryNodes/QueryNode, QueryApps/QueryApp, QueryAccounts/QueryAccount/QueryBalance',
    scope: 'height',
    check: checkSingleItem,
  },
  {
    id: 'views.pagination',
    statement: 'the pages of nodes / apps / accounts concatenated are the whole list: no gap, no duplicate, page 1 counting the pages right',
    source: 'app/query.go paginate, checkPagination; x/auth/util/util.go Paginate',
    scope: 'height',
    limits: 'total_pages is checked on page 1 only: paginate divides by the last page\'s length, so later pages overstate it',
    check: checkPagination,
  },
  {
    id: 'views.state-export',
    statement: 'the state export holds the same accounts, nodes, apps and claims as the list routes',
    source: 'app/cmd/rpc/query.go State → app ExportState; x/*/genesis.go ExportGenesis',
    scope: 'last',
    limits: 'checked at the last audited height only (the export is the costliest route)',
    check: checkStateExport,
  },
  {
    id: 'txs.indexed',
    statement: 'every block\'s txs are listed by blocktxs as its header counts them, indexes 0…n−1; every committed tx is found by hash at its height and index, in its signer\'s history and in its recipient\'s received history; the signer\'s history holds no tx its block lacks',
    source: 'app/cmd/rpc/query.go Tx, BlockTxs, AccountTxs; app/query.go QueryTx, QueryBlockTxs, QueryAccountTxs, QueryRecipientTxs (tx.signer / tx.recipient / tx.height index)',
    scope: 'interval',
    limits: 'at most maxTxs txs per audit; txs with no signer are checked by hash only',
    check: checkTxIndexing,
  },
  {
    id: 'sessions.dispatch',
    statement: 'every node dispatches the same session for an app and chain; members are exactly session_node_count distinct staked servicers of the chain, unjailed; the session height is on the grid',
    source: 'x/pocketcore/keeper/session.go HandleDispatch, GetLatestSessionBlockHeight; x/pocketcore/types/session.go NewSessionNodes',
    scope: 'last',
    limits: 'dispatch answers only the latest session, so sessions at past heights are not audited; the pseudorandom selection itself is not recomputed',
    check: checkSessions,
  },
  {
    id: 'params.agree',
    statement: 'every param key answers the same value on every node',
    source: 'app/query.go QueryParam, QueryAllParams; x/gov/keeper/subspace.go GetAllParamNameValue',
    scope: 'height',
    check: checkParams,
  },
  {
    id: 'params.valid',
    statement: 'every param is within the range its module\'s validation allows (allocations ≥ 0 and together ≤ 100, session node count 1–25, claim windows, fractions in [0, 1], caps > 0, …)',
    source: 'x/nodes/types/params.go, x/apps/types/params.go, x/pocketcore/types/params.go Validate (a DAO change_param skips it: x/gov/keeper/params.go ModifyParam)',
    scope: 'height',
    limits: 'the genesis minimums for stakes (DefaultMinStake) are not enforced here: networks under test lower them on purpose',
    check: checkParamRanges,
  },
  {
    id: 'params.acl',
    statement: 'every successful change_param was signed by the ACL owner of its key at the height before it',
    source: 'x/gov/keeper/params.go ModifyParam (GetACL().GetOwner); x/gov/handler.go',
    scope: 'interval',
    check: checkParamAcl,
  },
  {
    id: 'consensus.hashes',
    statement: 'every node has the same block hash and app hash at every audited height',
    source: 'app/cmd/rpc/query.go Block → app/query.go QueryBlock (tendermint block store)',
    scope: 'height',
    check: checkBlocks,
  },
  {
    id: 'claims.lifecycle',
    statement: 'a claim exists only until proven or expired: none past its expiration height, none gone early without a proof by its servicer',
    source: 'x/pocketcore/module.go BeginBlock → x/pocketcore/keeper/claim.go DeleteExpiredClaims; x/pocketcore/keeper/proof.go (claim deleted on proof)',
    scope: 'interval',
    limits: 'a proof is matched to a claim by servicer address only (the proof tx does not name the claim\'s app in a form the RPC decodes); claims created and removed between two audited heights are not seen',
    check: checkClaims,
  },
  {
    id: 'stake.lifecycle',
    statement: 'stake status moves only staked → unstaking → unstaked: an unstaking actor carries a completion time and leaves or restakes only once it is past, unless jailed and forced out',
    source: 'x/nodes/keeper/valStateChanges.go BeginUnstakingValidator, ForceValidatorUnstake; x/apps/keeper/appStateChanges.go',
    scope: 'interval',
    limits: 'transitions inside an interval are invisible: staked → unstaked → staked again between two audited heights looks like no change',
    check: checkStakeStatus,
  },
  {
    id: 'stake.settlement',
    statement: 'an actor that finishes unstaking (unjailed) pays its whole stake to its output address (a node) or itself (an app): that balance grows by at least the stake',
    source: 'x/nodes/keeper/valStateChanges.go (unstake completion → AccountKeeper.SendCoinsFromModuleToAccount to GetOutputAddressFromValidator); x/apps/keeper/appStateChanges.go',
    scope: 'interval',
    limits: 'a lower bound: the recipient may also earn fees or rewards; skipped when the recipient signed a tx in the interval; jailed actors (forced out, possibly slashed) are not checked',
    check: checkSettlement,
  },
];

export const lawById = (id: string): Law | undefined => LAWS.find((l) => l.id === id);
