/**
 * pocket-core's own RPC spec (doc/specs/rpc-spec.yaml, OpenAPI 3.0), read at run time from the
 * Go module under test, turned into response validators. Where the spec and the router disagree
 * the differences are computed, not hidden.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import type { RpcRoute } from './rpc-routes';

type OpenApi = { servers?: Array<{ url: string }>; paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }>> };

export interface RpcSpec {
  file: string;
  version: string;
  /** Full router path (e.g. /v1/query/height) → method → validator of its 200 answer. */
  validators: Map<string, ValidateFunction>;
  /** Router paths (with /v1) the spec documents. */
  paths: string[];
}

export interface SpecDeviations {
  /** Routes the router serves that the spec does not document. */
  undocumented: string[];
  /** Paths the spec documents that the router does not serve (e.g. a different spelling). */
  unserved: string[];
}

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

export function loadRpcSpec(moduleDir: string): RpcSpec {
  const file = path.join(moduleDir, 'doc', 'specs', 'rpc-spec.yaml');
  const doc = parse(fs.readFileSync(file, 'utf8')) as OpenApi & { info?: { version?: string } };
  const base = new URL(doc.servers?.[0]?.url ?? 'http://localhost/v1').pathname.replace(/\/$/, '');
  // OpenAPI 3.0 keywords ajv does not know (nullable, example, …) are ignored rather than rejected.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema(doc as object, 'spec');
  const validators = new Map<string, ValidateFunction>();
  const paths: string[] = [];
  for (const [p, methods] of Object.entries(doc.paths)) {
    const full = `${base}${p === '/' ? '' : p}`;
    paths.push(full);
    for (const [method, op] of Object.entries(methods)) {
      const schema = op.responses?.['200']?.content?.['application/json']?.schema;
      if (!schema) continue;
      const pointer = `spec#/paths/${escapePointer(p)}/${method}/responses/200/content/${escapePointer('application/json')}/schema`;
      validators.set(`${method.toUpperCase()} ${full}`, ajv.compile({ $ref: pointer }));
    }
  }
  return { file, version: doc.info?.version ?? 'unknown', validators, paths };
}

export function specDeviations(spec: RpcSpec, routes: RpcRoute[]): SpecDeviations {
  const served = new Set(routes.map((r) => r.path));
  const documented = new Set(spec.paths);
  return {
    undocumented: routes.filter((r) => !documented.has(r.path) && !r.path.startsWith('/debug')).map((r) => `${r.method} ${r.path}`),
    unserved: spec.paths.filter((p) => !served.has(p)),
  };
}
