/**
 * Keeps ValidatingAdmissionPolicy status current, as upstream's type-checking controller in the
 * apiserver: when a policy's generation moves, its expressions are checked against the kinds its
 * matchConstraints name and status.observedGeneration and status.typeChecking are written.
 */
import { arr, asObj, objs, part, str } from '../../../api/core/access.js';
import type { GroupVersionKind } from '../../../api/resource.js';
import type { KubeObject } from '../../../machinery/object.js';
import type { ApiRegistry } from '../../api-registry.js';
import type { WriteOptions } from '../../registry/context.js';
import { typeCheckPolicy } from './type-checking.js';

const GROUP = 'admissionregistration.k8s.io';

const WRITE: Omit<WriteOptions, 'warnings'> = {
  user: { name: 'system:apiserver', groups: ['system:masters'] },
  dryRun: false,
  fieldManager: 'kube-apiserver',
  fieldValidation: 'Ignore',
};

/** The kinds named (without wildcards) by a policy's matchConstraints.resourceRules. */
export function policyKinds(policy: KubeObject, registry: ApiRegistry): GroupVersionKind[] {
  const kinds = new Map<string, GroupVersionKind>();
  const match = asObj(part(policy, 'spec')['matchConstraints']);
  for (const rule of objs(match?.['resourceRules'])) {
    for (const group of arr(rule['apiGroups']).map(str)) {
      for (const version of arr(rule['apiVersions']).map(str)) {
        for (const resource of arr(rule['resources']).map(str)) {
          if ([group, version, resource].some((x) => x.includes('*')) || resource.includes('/')) continue;
          const store = registry.lookup(group, version, resource);
          if (store) kinds.set(`${group}/${version}/${store.type.kind}`, { group, version, kind: store.type.kind });
        }
      }
    }
  }
  return [...kinds.values()];
}

export interface PolicyStatusOptions {
  registry: ApiRegistry;
  signal: AbortSignal;
  log: (message: string) => void;
}

/** Watches the policies until `signal` aborts. */
export function startPolicyStatus(options: PolicyStatusOptions): void {
  const { registry, signal, log } = options;
  const store = registry.lookup(GROUP, 'v1', 'validatingadmissionpolicies');
  if (!store) return;
  const pending = new Set<string>();
  let running = false;

  const sync = async (name: string): Promise<void> => {
    const policy = store.cache.get(store.key('', name));
    const generation = policy?.metadata.generation;
    if (!policy || generation === undefined || asObj(policy['status'])?.['observedGeneration'] === generation) return;
    const warnings = typeCheckPolicy(policy, policyKinds(policy, registry));
    const typeChecking = warnings.length > 0 ? { expressionWarnings: warnings } : {};
    await store.update(
      {
        namespace: '',
        name,
        subresource: 'status',
        tryUpdate: (current) => {
          // a newer generation is checked when its own event arrives
          if (current.metadata.generation !== generation) return current;
          return { ...current, status: { ...asObj(current['status']), observedGeneration: generation, typeChecking } };
        },
      },
      { ...WRITE, warnings: [] },
    );
  };

  const drain = async (): Promise<void> => {
    running = true;
    while (pending.size > 0 && !signal.aborted) {
      const [name] = pending;
      if (name === undefined) break;
      pending.delete(name);
      await sync(name).catch((err: unknown) => {
        if (!signal.aborted) log(`ValidatingAdmissionPolicy ${name}: status not written: ${(err as Error).message}`);
      });
    }
    running = false;
  };

  const enqueue = (name: string | undefined): void => {
    if (!name || signal.aborted) return;
    pending.add(name);
    if (!running) void drain();
  };

  const stop = store.cache.watch(store.cache.revision, (ev) => enqueue(ev.object.metadata.name));
  for (const policy of store.cache.list(store.prefix)) enqueue(policy.metadata.name);
  signal.addEventListener('abort', () => stop?.(), { once: true });
}
