import axios, { type AxiosResponse } from 'axios';

/**
 * Raw HTTP to a node's RPC. The framework uses it for health (heights, upgrade state); tests use
 * pocket-js first and this only for routes pocket-js lacks.
 */
export interface RpcResponse<T = unknown> {
  status: number;
  data: T;
}

export async function rpcPost<T = any>(baseUrl: string, route: string, body: unknown = {}, timeoutMs = 5000): Promise<RpcResponse<T>> {
  const res: AxiosResponse<T> = await axios.post(`${baseUrl}${route}`, body, {
    timeout: timeoutMs,
    validateStatus: () => true,
    headers: { 'content-type': 'application/json' },
    // A string body is sent as is (malformed-JSON tests), objects as JSON.
    transformRequest: typeof body === 'string' ? [(d) => d] : undefined,
  });
  return { status: res.status, data: res.data };
}

export async function queryHeight(baseUrl: string): Promise<number> {
  const res = await rpcPost<{ height: number }>(baseUrl, '/v1/query/height', {}, 2000);
  if (res.status !== 200 || typeof res.data?.height !== 'number') throw new Error(`height query answered ${res.status}`);
  return res.data.height;
}
