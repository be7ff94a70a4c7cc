/**
 * OpenAPI v2: the whole API as one Swagger 2.0 document (`GET /openapi/v2`), served as JSON or
 * as gnostic protobuf. kubectl 1.27/1.28 read it for field-validation support, client-side
 * validation, strategic-merge-patch metadata and `explain --output=plaintext-openapiv2`.
 */
import { collectDefinitions, type GroupVersion } from './definitions.js';
import { pathSchemas, resourcePaths, type OperationSpec, type PathSpec } from './operations.js';
import type { ParameterSpec } from './parameters.js';
import type { OpenApiResource } from './resources.js';
import { DEFAULT_INFO, type DocumentInfo } from './v3.js';
import { refTo, type JsonSchema } from './well-known.js';

export { encodeSwaggerDocument } from './gnostic.js';

/** What /openapi/v2 answers when asked for protobuf (note the `.v1.0`, not `@v1.0`). */
export const V2_PROTOBUF_CONTENT_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

function parameter(p: ParameterSpec): JsonSchema {
  return {
    uniqueItems: true,
    type: p.type,
    description: p.description,
    name: p.name,
    in: p.in,
    ...(p.required ? { required: true } : {}),
  };
}

function schemaFor(name: string): JsonSchema {
  return name === '' ? { type: 'object' } : { $ref: refTo('v2', name) };
}

function operation(o: OperationSpec): JsonSchema {
  const out: JsonSchema = {
    consumes: o.body ? [...o.body.contentTypes] : ['*/*'],
    description: o.description,
    operationId: o.operationId,
  };
  const params = o.parameters.map(parameter);
  if (o.body) params.unshift({ name: 'body', in: 'body', required: true, schema: schemaFor(o.body.schema) });
  if (params.length > 0) out['parameters'] = params;
  out['produces'] = [...o.produces];
  const responses: JsonSchema = {};
  for (const r of o.responses) {
    responses[r.code] = { description: r.description, schema: r.schema === undefined ? { type: 'string' } : schemaFor(r.schema) };
  }
  responses['401'] = { description: 'Unauthorized' };
  out['responses'] = responses;
  out['schemes'] = ['https'];
  out['tags'] = [o.tag];
  out['x-kubernetes-action'] = o.action;
  out['x-kubernetes-group-version-kind'] = { ...o.gvk };
  return out;
}

function pathItem(p: PathSpec): JsonSchema {
  const out: JsonSchema = {};
  for (const o of p.operations) out[o.method] = operation(o);
  if (p.parameters.length > 0) out['parameters'] = p.parameters.map(parameter);
  return out;
}

/**
 * The Swagger 2.0 document of every served resource. `custom` holds the v2 definitions of
 * custom resources (see custom-schemas.ts).
 */
export function buildV2Document(
  resources: readonly OpenApiResource[],
  custom: ReadonlyMap<string, JsonSchema>,
  info: DocumentInfo = DEFAULT_INFO,
): JsonSchema {
  const specs = resources.flatMap(resourcePaths).sort((a, b) => a.path.localeCompare(b.path));
  const paths: Record<string, JsonSchema> = {};
  for (const p of specs) paths[p.path] = pathItem(p);
  const groupVersions = new Map<string, GroupVersion>();
  for (const r of resources) groupVersions.set(`${r.group}/${r.version}`, { group: r.group, version: r.version });
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: info.version },
    paths,
    definitions: collectDefinitions(pathSchemas(specs), 'v2', custom, [...groupVersions.values()]),
    securityDefinitions: {
      BearerToken: { description: 'Bearer Token authentication', type: 'apiKey', name: 'authorization', in: 'header' },
    },
    security: [{ BearerToken: [] }],
  };
}
