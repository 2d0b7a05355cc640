/**
 * Where the auditor reads a chain from: RPC calls to one of several nodes. The live source posts
 * to pocket-core's RPC (app/cmd/rpc/server.go routes); unit tests give a recorded one.
 */
import axios from 'axios';

export interface RpcAnswer {
  status: number;
  data: any;
}

export interface RpcSource {
  /** One label per node (its RPC URL for a live source). */
  readonly nodes: readonly string[];
  /** POST `route` (e.g. `/v1/query/supply`) with a JSON body to node `node` (0-based). */
  call(node: number, route: string, body: Record<string, unknown>): Promise<RpcAnswer>;
}

/** A source over the RPC of live nodes, e.g. `liveSource(['http://127.0.0.1:8081', …])`. */
export function liveSource(urls: string[], timeoutMs = 30_000): RpcSource {
  if (!urls.length) throw new Error('liveSource needs at least one node RPC URL');
  const bases = urls.map((u) => u.replace(/\/+$/, ''));
  return {
    nodes: bases,
    call: async (node, route, body) => {
      const res = await axios.post(`${bases[node]}${route}`, body, {
        timeout: timeoutMs,
        validateStatus: () => true,
        headers: { 'content-type': 'application/json' },
        responseType: 'text',
        transformResponse: [(text: string) => parseExactJson(text)],
      });
      return { status: res.status, data: res.data };
    },
  };
}

/**
 * JSON.parse that keeps integers beyond 2^53 exact: pocket-core writes some amounts as bare
 * numbers (`/v1/query/balance` marshals a big.Int, app/cmd/rpc/query.go Balance), so long
 * integer literals become strings before parsing. Non-JSON text is returned as is.
 */
export function parseExactJson(text: string): unknown {
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text.replace(/([:\[,]\s*)(-?\d{16,})(?=\s*[,\]}])/g, '$1"$2"'));
  } catch {
    return text;
  }
}

/** A refused call: the route, the node and what it answered, for "could not audit" verdicts. */
export class RpcRefusal extends Error {
  constructor(readonly node: string, readonly route: string, readonly answer: RpcAnswer) {
    super(`${node} ${route} answered HTTP ${answer.status}: ${JSON.stringify(answer.data).slice(0, 200)}`);
  }
}

/**
 * Memoizes answers per (node, route, body) for one audit: several laws read the same state
 * (supply, lists, blocks), and a height's state never changes once committed.
 */
export class CachedSource {
  private readonly cache = new Map<string, Promise<RpcAnswer>>();
  calls = 0;

  constructor(readonly source: RpcSource) {}

  get nodeCount(): number {
    return this.source.nodes.length;
  }

  label(node: number): string {
    return this.source.nodes[node] ?? `node#${node}`;
  }

  raw(node: number, route: string, body: Record<string, unknown>): Promise<RpcAnswer> {
    const key = `${node} ${route} ${JSON.stringify(body)}`;
    let hit = this.cache.get(key);
    if (!hit) {
      this.calls += 1;
      hit = this.source.call(node, route, body);
      this.cache.set(key, hit);
      hit.catch(() => this.cache.delete(key));
    }
    return hit;
  }

  /** The answer's data, or an RpcRefusal when the node does not answer 200. */
  async query<T = any>(node: number, route: string, body: Record<string, unknown>): Promise<T> {
    const answer = await this.raw(node, route, body);
    if (answer.status !== 200) throw new RpcRefusal(this.label(node), route, answer);
    return answer.data as T;
  }
}
