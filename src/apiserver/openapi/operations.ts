/**
 * The REST operations of a resource, in a form independent of the OpenAPI version: paths,
 * operationIds named like upstream's (`listCoreV1NamespacedPod`, `patchAppsV1NamespacedDeployment`),
 * parameters, bodies and responses. v2.ts and v3.ts render them.
 */
import { typeForKind } from '../../machinery/schema/dsl.js';
import {
  ATTACH_PARAMETERS,
  DELETE_COLLECTION_PARAMETERS,
  DELETE_PARAMETERS,
  EXEC_PARAMETERS,
  LIST_PARAMETERS,
  LOG_PARAMETERS,
  PARAMETERS,
  PATCH_PARAMETERS,
  pathParameter,
  PORT_FORWARD_PARAMETERS,
  PROXY_PARAMETERS,
  WRITE_PARAMETERS,
  type ParameterSpec,
} from './parameters.js';
import type { OpenApiResource, OpenApiSubresource } from './resources.js';
import type { PublishedGvk } from './schemas.js';
import { DELETE_OPTIONS, PATCH, STATUS, WATCH_EVENT } from './well-known.js';

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch';
export type Action = 'get' | 'list' | 'watch' | 'watchlist' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection' | 'connect';

export interface ResponseSpec {
  readonly code: string;
  readonly description: string;
  /** Definition name; '' for any object (a kind without a declared schema); absent for text (logs, connect). */
  readonly schema?: string;
}

export interface OperationSpec {
  readonly method: HttpMethod;
  readonly operationId: string;
  readonly description: string;
  readonly action: Action;
  readonly gvk: PublishedGvk;
  readonly tag: string;
  readonly parameters: readonly ParameterSpec[];
  /** `schema` is a definition name, or '' for any object. */
  readonly body?: { readonly schema: string; readonly contentTypes: readonly string[] };
  readonly responses: readonly ResponseSpec[];
  readonly produces: readonly string[];
}

export interface PathSpec {
  readonly path: string;
  readonly parameters: readonly ParameterSpec[];
  readonly operations: OperationSpec[];
}

const OBJECT_TYPES = ['application/json', 'application/yaml'];
const WATCH_TYPES = ['application/json', 'application/yaml', 'application/json;stream=watch'];
const BUILTIN_PATCH_TYPES = [
  'application/apply-patch+yaml',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
];
const CUSTOM_PATCH_TYPES = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json'];
const SCALE = 'io.k8s.api.autoscaling.v1.Scale';
const SCALE_GVK: PublishedGvk = { group: 'autoscaling', kind: 'Scale', version: 'v1' };
const CONNECT_SUBRESOURCES: Readonly<Record<string, readonly ParameterSpec[]>> = {
  exec: EXEC_PARAMETERS,
  attach: ATTACH_PARAMETERS,
  portforward: PORT_FORWARD_PARAMETERS,
  proxy: PROXY_PARAMETERS,
};

const capitalize = (s: string): string => (s === '' ? s : s[0]!.toUpperCase() + s.slice(1));

/** `CoreV1`, `AppsV1`, `RbacAuthorizationV1`, `StableExampleComV1`. */
export function groupVersionPrefix(group: string, version: string): string {
  const g = group === '' ? 'core' : group.replace(/\.k8s\.io$/, '');
  return g.split(/[.-]/).map(capitalize).join('') + capitalize(version);
}

/** The tag upstream groups operations under: `core_v1`, `rbacAuthorization_v1`. */
export function groupVersionTag(group: string, version: string): string {
  const prefix = groupVersionPrefix(group, version);
  const g = prefix.slice(0, prefix.length - version.length);
  return `${g[0]!.toLowerCase()}${g.slice(1)}_${version}`;
}

/** All paths of one resource, in a stable order. */
export function resourcePaths(r: OpenApiResource): PathSpec[] {
  const gv = groupVersionPrefix(r.group, r.version);
  const tag = groupVersionTag(r.group, r.version);
  const gvk: PublishedGvk = { group: r.group, kind: r.kind, version: r.version };
  const root = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  const scope = r.namespaced ? '/namespaces/{namespace}' : '';
  const ns = r.namespaced ? 'Namespaced' : '';
  const has = (verb: string): boolean => r.verbs.includes(verb);
  /** '' stands for a kind without a declared schema (rendered as any object). */
  const kindRef = r.schema ?? '';
  const listRef = r.listSchema ?? '';
  const produces = OBJECT_TYPES;
  const patchTypes = r.custom ? CUSTOM_PATCH_TYPES : BUILTIN_PATCH_TYPES;
  const scopeParams = r.namespaced ? [pathParameter('namespace', r.kind)] : [];
  const itemParams = [pathParameter('name', r.kind), ...scopeParams, PARAMETERS.pretty];
  const op = (
    o: Omit<OperationSpec, 'tag' | 'produces' | 'gvk'> & { gvk?: PublishedGvk; produces?: readonly string[] },
  ): OperationSpec => ({
    tag,
    produces,
    gvk,
    ...o,
  });
  const ok = (schema: string | undefined, ...codes: Array<[string, string]>): ResponseSpec[] =>
    [['200', 'OK'] as [string, string], ...codes].map(([code, description]) => ({
      code,
      description,
      ...(schema !== undefined ? { schema } : {}),
    }));
  const out: PathSpec[] = [];

  const collection: OperationSpec[] = [];
  if (has('list'))
    collection.push(
      op({
        method: 'get',
        operationId: `list${gv}${ns}${r.kind}`,
        description: `list or watch objects of kind ${r.kind}`,
        action: 'list',
        parameters: LIST_PARAMETERS,
        responses: ok(listRef),
        produces: WATCH_TYPES,
      }),
    );
  if (has('create'))
    collection.push(
      op({
        method: 'post',
        operationId: `create${gv}${ns}${r.kind}`,
        description: `create a ${r.kind}`,
        action: 'post',
        parameters: WRITE_PARAMETERS,
        body: { schema: kindRef, contentTypes: ['*/*'] },
        responses: ok(kindRef, ['201', 'Created'], ['202', 'Accepted']),
      }),
    );
  if (has('deletecollection'))
    collection.push(
      op({
        method: 'delete',
        operationId: `delete${gv}Collection${ns}${r.kind}`,
        description: `delete collection of ${r.kind}`,
        action: 'deletecollection',
        parameters: DELETE_COLLECTION_PARAMETERS,
        body: { schema: DELETE_OPTIONS, contentTypes: ['*/*'] },
        responses: ok(STATUS),
      }),
    );
  if (collection.length > 0)
    out.push({ path: `${root}${scope}/${r.plural}`, parameters: [...scopeParams, PARAMETERS.pretty], operations: collection });

  const item: OperationSpec[] = [];
  const deleted = r.returnDeletedObject ? kindRef : STATUS;
  if (has('get'))
    item.push(
      op({
        method: 'get',
        operationId: `read${gv}${ns}${r.kind}`,
        description: `read the specified ${r.kind}`,
        action: 'get',
        parameters: [],
        responses: ok(kindRef),
      }),
    );
  if (has('update'))
    item.push(
      op({
        method: 'put',
        operationId: `replace${gv}${ns}${r.kind}`,
        description: `replace the specified ${r.kind}`,
        action: 'put',
        parameters: WRITE_PARAMETERS,
        body: { schema: kindRef, contentTypes: ['*/*'] },
        responses: ok(kindRef, ['201', 'Created']),
      }),
    );
  if (has('patch'))
    item.push(
      op({
        method: 'patch',
        operationId: `patch${gv}${ns}${r.kind}`,
        description: `partially update the specified ${r.kind}`,
        action: 'patch',
        parameters: PATCH_PARAMETERS,
        body: { schema: PATCH, contentTypes: patchTypes },
        responses: ok(kindRef, ['201', 'Created']),
      }),
    );
  if (has('delete'))
    item.push(
      op({
        method: 'delete',
        operationId: `delete${gv}${ns}${r.kind}`,
        description: `delete a ${r.kind}`,
        action: 'delete',
        parameters: DELETE_PARAMETERS,
        body: { schema: DELETE_OPTIONS, contentTypes: ['*/*'] },
        responses: ok(deleted, ['202', 'Accepted']),
      }),
    );
  if (item.length > 0) out.push({ path: `${root}${scope}/${r.plural}/{name}`, parameters: itemParams, operations: item });

  const subresource = (name: string, schemaName: string | undefined, subGvk: PublishedGvk, verbs: readonly string[]): void => {
    const schema = schemaName ?? '';
    const label = name === 'status' ? 'status of' : name === 'scale' ? 'scale of' : `${name} of`;
    const suffix = capitalize(name);
    const ops: OperationSpec[] = [];
    const sop = (o: Parameters<typeof op>[0]): OperationSpec => op({ ...o, gvk: subGvk });
    if (verbs.includes('get'))
      ops.push(
        sop({
          method: 'get',
          operationId: `read${gv}${ns}${r.kind}${suffix}`,
          description: `read ${label} the specified ${r.kind}`,
          action: 'get',
          parameters: [],
          responses: ok(schema),
        }),
      );
    if (verbs.includes('create'))
      ops.push(
        sop({
          method: 'post',
          operationId: `create${gv}${ns}${r.kind}${suffix}`,
          description: `create ${name} of a ${r.kind}`,
          action: 'post',
          parameters: WRITE_PARAMETERS,
          body: { schema, contentTypes: ['*/*'] },
          responses: ok(schema, ['201', 'Created'], ['202', 'Accepted']),
        }),
      );
    if (verbs.includes('update'))
      ops.push(
        sop({
          method: 'put',
          operationId: `replace${gv}${ns}${r.kind}${suffix}`,
          description: `replace ${label} the specified ${r.kind}`,
          action: 'put',
          parameters: WRITE_PARAMETERS,
          body: { schema, contentTypes: ['*/*'] },
          responses: ok(schema, ['201', 'Created']),
        }),
      );
    if (verbs.includes('patch'))
      ops.push(
        sop({
          method: 'patch',
          operationId: `patch${gv}${ns}${r.kind}${suffix}`,
          description: `partially update ${label} the specified ${r.kind}`,
          action: 'patch',
          parameters: PATCH_PARAMETERS,
          body: { schema: PATCH, contentTypes: patchTypes },
          responses: ok(schema, ['201', 'Created']),
        }),
      );
    if (ops.length > 0) out.push({ path: `${root}${scope}/${r.plural}/{name}/${name}`, parameters: itemParams, operations: ops });
  };
  if (r.status) subresource('status', r.schema, gvk, ['get', 'update', 'patch']);
  if (r.scale) subresource('scale', SCALE, SCALE_GVK, ['get', 'update', 'patch']);
  for (const sub of r.subresources) extraSubresource(sub);

  function extraSubresource(sub: OpenApiSubresource): void {
    const connect = CONNECT_SUBRESOURCES[sub.name];
    if (connect) {
      const optionsGvk: PublishedGvk = { group: r.group, kind: `${r.kind}${capitalize(sub.name)}Options`, version: r.version };
      const methods: Array<[string, HttpMethod]> = [
        ['get', 'get'],
        ['create', 'post'],
        ['update', 'put'],
        ['patch', 'patch'],
        ['delete', 'delete'],
      ];
      const ops = methods
        .filter(([verb]) => sub.verbs.includes(verb))
        .map(([, method]) =>
          op({
            method,
            operationId: `connect${gv}${capitalize(method)}${ns}${r.kind}${capitalize(sub.name)}`,
            description: `connect ${method.toUpperCase()} requests to ${sub.name} of ${r.kind}`,
            action: 'connect',
            gvk: optionsGvk,
            parameters: connect,
            responses: ok(undefined),
            produces: ['*/*'],
          }),
        );
      if (ops.length > 0)
        out.push({
          path: `${root}${scope}/${r.plural}/{name}/${sub.name}`,
          parameters: [pathParameter('name', `${r.kind}${capitalize(sub.name)}Options`), ...scopeParams],
          operations: ops,
        });
      return;
    }
    if (sub.name === 'log') {
      out.push({
        path: `${root}${scope}/${r.plural}/{name}/log`,
        parameters: itemParams,
        operations: [
          op({
            method: 'get',
            operationId: `read${gv}${ns}${r.kind}Log`,
            description: `read log of the specified ${r.kind}`,
            action: 'get',
            parameters: LOG_PARAMETERS,
            responses: ok(undefined),
            produces: ['text/plain', 'application/json', 'application/yaml'],
          }),
        ],
      });
      return;
    }
    const kind = sub.kind;
    const schema = kind ? typeForKind(kind.group, kind.version, kind.kind)?.name : r.schema;
    subresource(sub.name, schema, kind ? { group: kind.group, kind: kind.kind, version: kind.version } : gvk, sub.verbs);
  }

  if (has('watch')) {
    const watch = (path: string, operationId: string, action: Action, description: string, parameters: readonly ParameterSpec[]): void => {
      out.push({
        path,
        parameters,
        operations: [
          op({ method: 'get', operationId, description, action, parameters: [], responses: ok(WATCH_EVENT), produces: WATCH_TYPES }),
        ],
      });
    };
    const listParams = [...LIST_PARAMETERS, PARAMETERS.pretty];
    watch(
      `${root}/watch${scope}/${r.plural}`,
      `watch${gv}${ns}${r.kind}List`,
      'watchlist',
      `watch individual changes to a list of ${r.kind}. deprecated: use the 'watch' parameter with a list operation instead.`,
      [...scopeParams, ...listParams],
    );
    watch(
      `${root}/watch${scope}/${r.plural}/{name}`,
      `watch${gv}${ns}${r.kind}`,
      'watch',
      `watch changes to an object of kind ${r.kind}. deprecated: use the 'watch' parameter with a list operation instead, filtered to a single item with the 'fieldSelector' parameter.`,
      [pathParameter('name', r.kind), ...scopeParams, ...listParams],
    );
    if (r.namespaced)
      watch(
        `${root}/watch/${r.plural}`,
        `watch${gv}${r.kind}ListForAllNamespaces`,
        'watchlist',
        `watch individual changes to a list of ${r.kind}. deprecated: use the 'watch' parameter with a list operation instead.`,
        listParams,
      );
  }
  if (r.namespaced && has('list')) {
    out.push({
      path: `${root}/${r.plural}`,
      parameters: [...LIST_PARAMETERS, PARAMETERS.pretty],
      operations: [
        op({
          method: 'get',
          operationId: `list${gv}${r.kind}ForAllNamespaces`,
          description: `list or watch objects of kind ${r.kind}`,
          action: 'list',
          parameters: [],
          responses: ok(listRef),
          produces: WATCH_TYPES,
        }),
      ],
    });
  }
  return out;
}

/** Definition names the operations of these paths refer to. */
export function pathSchemas(paths: readonly PathSpec[]): Set<string> {
  const out = new Set<string>();
  for (const p of paths) {
    for (const o of p.operations) {
      if (o.body !== undefined && o.body.schema !== '') out.add(o.body.schema);
      for (const r of o.responses) if (r.schema) out.add(r.schema);
    }
  }
  return out;
}
