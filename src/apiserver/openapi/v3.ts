/**
 * OpenAPI v3: the root discovery document (`GET /openapi/v3`) and one OpenAPI 3.0 document
 * per group-version (`/openapi/v3/api/v1`, `/openapi/v3/apis/<group>/<version>`), as
 * kube-apiserver serves them. kubectl reads these for `explain` (1.27+), for deciding that the
 * server validates fields (a `patch` operation with the kind's GVK and a `fieldValidation`
 * parameter), and for apply's patch metadata.
 */
import { collectDefinitions, type GroupVersion } from './definitions.js';
import { pathSchemas, resourcePaths, type OperationSpec, type PathSpec, type ResponseSpec } from './operations.js';
import type { ParameterSpec } from './parameters.js';
import type { OpenApiResource } from './resources.js';
import { refTo, type JsonSchema } from './well-known.js';

export interface DocumentInfo {
  /** Served as info.version, e.g. v1.33.0. */
  readonly version: string;
}

export const DEFAULT_INFO: DocumentInfo = { version: 'v1.33.0' };

/** `GET /openapi/v3`: each group-version's path with the hash of its current document. */
export interface V3Root {
  paths: Record<string, { serverRelativeURL: string }>;
}

export function v3Root(entries: Iterable<{ path: string; hash: string }>): V3Root {
  const paths: V3Root['paths'] = {};
  for (const { path, hash } of [...entries].sort((a, b) => a.path.localeCompare(b.path))) {
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` };
  }
  return { paths };
}

function parameter(p: ParameterSpec): JsonSchema {
  return {
    description: p.description,
    in: p.in,
    name: p.name,
    ...(p.required ? { required: true } : {}),
    schema: { type: p.type, uniqueItems: true },
  };
}

function schemaFor(name: string): JsonSchema {
  return name === '' ? { type: 'object' } : { $ref: refTo('v3', name) };
}

function responses(specs: readonly ResponseSpec[], produces: readonly string[]): JsonSchema {
  const out: JsonSchema = {};
  for (const r of specs) {
    const schema = r.schema === undefined ? { type: 'string' } : schemaFor(r.schema);
    out[r.code] = { content: Object.fromEntries(produces.map((t) => [t, { schema }])), description: r.description };
  }
  out['401'] = { description: 'Unauthorized' };
  return out;
}

function operation(o: OperationSpec): JsonSchema {
  const out: JsonSchema = { description: o.description, operationId: o.operationId };
  if (o.parameters.length > 0) out['parameters'] = o.parameters.map(parameter);
  if (o.body) {
    const schema = schemaFor(o.body.schema);
    out['requestBody'] = { content: Object.fromEntries(o.body.contentTypes.map((t) => [t, { schema }])), required: true };
  }
  out['responses'] = responses(o.responses, o.produces);
  out['tags'] = [o.tag];
  out['x-kubernetes-action'] = o.action;
  out['x-kubernetes-group-version-kind'] = { ...o.gvk };
  return out;
}

export function v3PathItem(p: PathSpec): JsonSchema {
  const out: JsonSchema = {};
  for (const o of p.operations) out[o.method] = operation(o);
  if (p.parameters.length > 0) out['parameters'] = p.parameters.map(parameter);
  return out;
}

/**
 * The OpenAPI 3.0 document of one group-version. `custom` holds the v3 definitions of custom
 * resources served in it (see custom-schemas.ts).
 */
export function buildV3Document(
  gv: GroupVersion,
  resources: readonly OpenApiResource[],
  custom: ReadonlyMap<string, JsonSchema>,
  info: DocumentInfo = DEFAULT_INFO,
): JsonSchema {
  const specs = resources.flatMap(resourcePaths).sort((a, b) => a.path.localeCompare(b.path));
  const paths: Record<string, JsonSchema> = {};
  for (const p of specs) paths[p.path] = v3PathItem(p);
  const schemas = collectDefinitions(pathSchemas(specs), 'v3', custom, [gv]);
  return {
    components: {
      schemas,
      securitySchemes: {
        BearerToken: { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' },
      },
    },
    info: { title: 'Kubernetes', version: info.version },
    openapi: '3.0.0',
    paths,
    security: [{ BearerToken: [] }],
  };
}
