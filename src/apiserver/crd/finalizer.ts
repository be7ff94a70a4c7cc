/**
 * Deletion of a CRD (upstream's CRD REST Delete and finalizer controller): the first delete
 * only marks the CRD, adding the customresourcecleanup finalizer and a Terminating condition;
 * the controller then deletes every custom resource, records the outcome, and removes the
 * finalizer, which lets the registry remove the CRD.
 */
import type { ApiRegistry } from '../api-registry.js';
import { deleteObject } from '../registry/delete.js';
import type { ResourceStore } from '../registry/store.js';
import type { KubeObject } from '../../machinery/object.js';
import {
  asCRD,
  CLEANUP_FINALIZER,
  isConditionTrue,
  setCondition,
  storageVersionOf,
  type CRDCondition,
  type CustomResourceDefinition,
} from './crd-object.js';
import { systemWriteOptions } from './system.js';
import { rfc3339 } from '../../machinery/time.js';

const RECHECK_MS = 1000;

/** The finalizer that holds a CRD until its custom resources are gone. */
export function crdDeletionFinalizers(): readonly string[] {
  return [CLEANUP_FINALIZER];
}

/** A CRD whose deletion has begun: Terminating until its custom resources are deleted. */
export function markCRDTerminating(obj: KubeObject): void {
  setCondition(
    asCRD(obj),
    {
      type: 'Terminating',
      status: 'True',
      reason: 'InstanceDeletionPending',
      message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon',
    },
    rfc3339(new Date()),
  );
}

export interface FinalizeRequest {
  crd: CustomResourceDefinition;
  store: ResourceStore;
  registry: ApiRegistry;
  now: () => Date;
}

async function writeStatus(req: FinalizeRequest, cond: CRDCondition): Promise<CustomResourceDefinition> {
  const name = req.crd.metadata.name ?? '';
  const { obj } = await req.store.update(
    {
      namespace: '',
      name,
      subresource: 'status',
      tryUpdate: (cur) => {
        const crd = asCRD(cur);
        setCondition(crd, cond, rfc3339(req.now()));
        return crd;
      },
    },
    systemWriteOptions(),
  );
  return asCRD(obj);
}

/** Deletes every custom resource; returns how many remain (finalizers of their own may hold them). */
async function deleteInstances(req: FinalizeRequest): Promise<number> {
  const spec = req.crd.spec;
  const version = storageVersionOf(req.crd) ?? spec.versions[0]?.name ?? '';
  const plural = req.crd.status?.acceptedNames?.plural || spec.names.plural || '';
  const store =
    req.registry.lookup(spec.group, version, plural) ??
    spec.versions.map((v) => req.registry.lookup(spec.group, v.name, plural)).find(Boolean);
  if (!store) return 0;
  const opts = systemWriteOptions();
  for (const obj of store.cache.list(store.prefix)) {
    if (obj.metadata.deletionTimestamp) continue;
    try {
      await deleteObject(store, obj.metadata.namespace ?? '', obj.metadata.name ?? '', {}, opts, store.type.gracefulDeletion);
    } catch (err) {
      if ((err as { code?: number }).code !== 404) throw err;
    }
  }
  const remaining = await store.storage.list(store.prefix);
  return remaining.items.length;
}

/** One pass of cleanup; returns a delay to look again when instances remain. */
export async function finalizeCRD(req: FinalizeRequest): Promise<number | undefined> {
  const crd = req.crd;
  if (!(crd.metadata.finalizers ?? []).includes(CLEANUP_FINALIZER)) return undefined;
  let cond: CRDCondition;
  if (isConditionTrue(crd, 'Established')) {
    await writeStatus(req, {
      type: 'Terminating',
      status: 'True',
      reason: 'InstanceDeletionInProgress',
      message: 'CustomResource deletion is in progress',
    });
    const remaining = await deleteInstances(req);
    if (remaining > 0) {
      await writeStatus(req, {
        type: 'Terminating',
        status: 'True',
        reason: 'InstanceDeletionCheck',
        message: `could not confirm zero CustomResources remaining: ${remaining} remaining`,
      });
      return RECHECK_MS;
    }
    cond = { type: 'Terminating', status: 'False', reason: 'InstanceDeletionCompleted', message: 'removed all instances' };
  } else {
    cond = { type: 'Terminating', status: 'False', reason: 'NeverEstablished', message: 'resource was never established' };
  }
  await writeStatus(req, cond);
  await req.store.update(
    {
      namespace: '',
      name: crd.metadata.name ?? '',
      trackFields: false,
      tryUpdate: (cur) => {
        const finalizers = (cur.metadata.finalizers ?? []).filter((f) => f !== CLEANUP_FINALIZER);
        if (finalizers.length > 0) cur.metadata.finalizers = finalizers;
        else delete cur.metadata.finalizers;
        return cur;
      },
    },
    systemWriteOptions(),
  );
  return undefined;
}
