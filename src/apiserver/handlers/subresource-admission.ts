/**
 * Admission of a create on a subresource served outside the registry's create (upstream runs
 * the chain on every REST create): pods/eviction, serviceaccounts/token. Both phases run on
 * the request's object; nothing is stored by them.
 */
import type { KubeObject } from '../../machinery/object.js';
import type { WriteOptions } from '../registry/context.js';
import type { HandlerContext } from './context.js';

export async function admitSubresourceCreate(
  ctx: HandlerContext,
  subresource: string,
  object: KubeObject,
  opts: WriteOptions,
): Promise<void> {
  const store = ctx.store;
  const attrs = {
    operation: 'CREATE' as const,
    type: store.type,
    namespace: ctx.info.namespace,
    name: ctx.info.name,
    subresource,
    object,
    user: opts.user,
    dryRun: opts.dryRun,
    warnings: opts.warnings,
  };
  await store.admission.admit(attrs);
  await store.admission.validate(attrs);
}
