/** The scale subresource (autoscaling/v1 Scale) of kinds with replicas. */
import type { KubeObject } from '../../machinery/object.js';
import { isPlainObject } from '../../machinery/object.js';
import { newBadRequest, newInvalid, newUnsupportedMediaType } from '../../machinery/errors.js';
import type { ScaleSubresource } from '../../api/resource.js';
import { applyPatch, patchTypeForContentType } from '../../machinery/patch/index.js';
import { selectorToString, labelSelectorFromMeta } from '../../machinery/labels.js';
import { decodeObjectBody, readBody, mediaType } from '../http/body.js';
import { sendJSON } from '../http/respond.js';
import { writeOptions, type HandlerContext } from './context.js';
import { decodeObject, decodePatchResult, SCALE_BODY } from './decode.js';
import { cloneJson } from '../../machinery/clone.js';

function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.').filter(Boolean)) {
    if (!isPlainObject(cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.').filter(Boolean);
  let cur: Record<string, unknown> = obj;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(cur[part])) cur[part] = {};
    cur = cur[part] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1] as string] = value;
}

function selectorText(obj: KubeObject, spec: ScaleSubresource): string | undefined {
  const fromStatus = spec.labelSelectorPath ? getPath(obj, spec.labelSelectorPath) : undefined;
  if (typeof fromStatus === 'string') return fromStatus;
  const sel = getPath(obj, '.spec.selector');
  if (isPlainObject(sel)) {
    // apps kinds: a metav1.LabelSelector; replication controllers: a plain map
    const meta = 'matchLabels' in sel || 'matchExpressions' in sel ? sel : { matchLabels: sel };
    try {
      return selectorToString(labelSelectorFromMeta(meta as never));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function toScale(obj: KubeObject, spec: ScaleSubresource): KubeObject {
  const selector = selectorText(obj, spec);
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: { replicas: Number(getPath(obj, spec.specReplicasPath) ?? 0) },
    status: { replicas: Number(getPath(obj, spec.statusReplicasPath) ?? 0), ...(selector ? { selector } : {}) },
  };
}

export function handleGetScale(ctx: HandlerContext, spec: ScaleSubresource): void {
  const obj = ctx.store.get(ctx.info.namespace, ctx.info.name);
  sendJSON(ctx.res, 200, toScale(obj, spec));
}

/** PUT or PATCH of …/scale: the new spec.replicas is written to the object. */
export async function handleWriteScale(ctx: HandlerContext, spec: ScaleSubresource): Promise<void> {
  const opts = writeOptions(ctx);
  const body = await readBody(ctx.req);
  const isPatch = ctx.req.method === 'PATCH';
  const patchType = isPatch ? patchTypeForContentType(mediaType(ctx.req.headers['content-type'])) : undefined;
  if (isPatch && !patchType) throw newUnsupportedMediaType(mediaType(ctx.req.headers['content-type']));
  const put = isPatch ? undefined : await decodeObjectBody(body, ctx.req.headers['content-type']);
  if (put && put['kind'] !== undefined && put['kind'] !== 'Scale') throw newBadRequest(`${String(put['kind'])} is not a Scale`);
  if (put) decodeObject(SCALE_BODY, put, opts);
  const desiredOf = (cur: KubeObject): KubeObject => {
    if (put) return cloneJson(put) as KubeObject;
    const patched = applyPatch(patchType!, toScale(cur, spec), body, SCALE_BODY.schema);
    return decodePatchResult(SCALE_BODY, patched, { type: patchType!, body }, opts) as KubeObject;
  };
  const { obj } = await ctx.store.update(
    {
      namespace: ctx.info.namespace,
      name: ctx.info.name,
      subresource: 'scale',
      tryUpdate: (cur) => {
        const desired = desiredOf(cloneJson(cur));
        const replicas = (desired['spec'] as { replicas?: unknown } | undefined)?.replicas;
        if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
          throw newInvalid({ group: 'autoscaling', kind: 'Scale' }, ctx.info.name, [
            {
              type: 'FieldValueInvalid',
              field: 'spec.replicas',
              message: `Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0`,
            },
          ]);
        }
        const rv = desired.metadata?.resourceVersion;
        if (rv) cur.metadata.resourceVersion = rv;
        setPath(cur, spec.specReplicasPath, replicas);
        return cur;
      },
    },
    opts,
  );
  sendJSON(ctx.res, 200, toScale(obj, spec));
}
