/**
 * The RPC routes of the pocket-core version under test, read from its router source
 * (app/cmd/rpc/server.go in the Go module cache), so a route added or removed by another version
 * shows up in the coverage check by itself.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Why a route may be absent on a node: the `pocket start` flag (or config) that registers it. */
export type RouteGate = 'always' | '--simulateRelay' | '--profileApp' | '--allblocktxs' | 'manual-chains-reload';

export interface RpcRoute {
  name: string;
  method: string;
  path: string;
  gate: RouteGate;
}

const GATES: Record<string, RouteGate> = {
  simulation: '--simulateRelay',
  debug: '--profileApp',
  allBlockTxs: '--allblocktxs',
  '!hotReloadChains': 'manual-chains-reload',
};

/** Parses `Route{Name: "…", Method: "…", Path: "…"}` literals and the `if <flag> {` blocks around them. */
export function parseRoutes(serverGo: string): RpcRoute[] {
  const routes: RpcRoute[] = [];
  let gate: RouteGate = 'always';
  let depthAtGate = -1;
  let depth = 0;
  for (const line of serverGo.split('\n')) {
    const cond = line.match(/^\s*if\s+(!?\w+)\s*\{/);
    if (cond && GATES[cond[1]]) {
      gate = GATES[cond[1]];
      depthAtGate = depth;
    }
    for (const m of line.matchAll(/Route\{Name:\s*"([^"]+)",\s*Method:\s*"([^"]+)",\s*Path:\s*"([^"]+)"/g)) {
      routes.push({ name: m[1], method: m[2], path: m[3], gate });
    }
    depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
    if (depthAtGate >= 0 && depth <= depthAtGate) {
      gate = 'always';
      depthAtGate = -1;
    }
  }
  return routes;
}

/** Routes a client calls (CORS preflight `OPTIONS` twins are folded into their POST route). */
export function callableRoutes(routes: RpcRoute[]): RpcRoute[] {
  const seen = new Set<string>();
  return routes.filter((r) => {
    if (r.method === 'OPTIONS') return false;
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function routesOfModule(moduleDir: string): RpcRoute[] {
  const file = path.join(moduleDir, 'app', 'cmd', 'rpc', 'server.go');
  return callableRoutes(parseRoutes(fs.readFileSync(file, 'utf8')));
}

export const routeKey = (r: Pick<RpcRoute, 'method' | 'path'>) => `${r.method} ${r.path}`;
