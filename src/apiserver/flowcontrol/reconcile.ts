/**
 * Ensures the APF bootstrap configuration at apiserver start (upstream's flowcontrol
 * ensurer, run by the priority-and-fairness-config-producer PostStartHook): missing mandatory
 * and suggested objects are created; a mandatory object's spec is restored (the exempt level
 * keeps its configurable nominalConcurrencyShares and lendablePercent); a suggested object's spec
 * is restored only while it carries `apf.kubernetes.io/autoupdate-spec: "true"`.
 */
import { isStatusError } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import { cloneJson } from '../../machinery/clone.js';
import { jsonEqual } from '../../machinery/json-equal.js';
import type { WriteOptions } from '../registry/context.js';
import type { ResourceStore } from '../registry/store.js';
import {
  AUTOUPDATE_SPEC_ANNOTATION,
  mandatoryFlowSchemas,
  mandatoryPriorityLevels,
  suggestedFlowSchemas,
  suggestedPriorityLevels,
} from './bootstrap-objects.js';

export interface EnsureOptions {
  flowSchemas: ResourceStore;
  priorityLevels: ResourceStore;
}

const WRITE: WriteOptions = {
  user: { name: 'system:apiserver', groups: ['system:masters'] },
  dryRun: false,
  fieldManager: 'api-priority-and-fairness-config-producer-v1',
  fieldValidation: 'Ignore',
  warnings: [],
};

/** The spec a mandatory object must have, given the one it has. */
function mandatorySpec(current: KubeObject, want: KubeObject): unknown {
  if (current.kind === 'PriorityLevelConfiguration' && current.metadata.name === 'exempt') {
    const exempt = (current['spec'] as { exempt?: unknown } | undefined)?.exempt;
    return { ...(want['spec'] as object), ...(exempt ? { exempt } : {}) };
  }
  return want['spec'];
}

async function ensure(store: ResourceStore, want: KubeObject, mandatory: boolean): Promise<void> {
  const name = want.metadata.name as string;
  const current = await store.read('', name);
  if (!current) {
    try {
      await store.create('', cloneJson(want), { ...WRITE, warnings: [] });
    } catch (err) {
      if (!isStatusError(err, 'AlreadyExists')) throw err;
    }
    return;
  }
  const autoupdate = current.obj.metadata.annotations?.[AUTOUPDATE_SPEC_ANNOTATION] === 'true';
  if (!mandatory && !autoupdate) return;
  const spec = mandatory ? mandatorySpec(current.obj, want) : want['spec'];
  if (jsonEqual(current.obj['spec'], spec)) return;
  await store.update(
    {
      namespace: '',
      name,
      tryUpdate: (cur) => {
        const next = cloneJson(cur);
        next['spec'] = cloneJson(spec);
        return next;
      },
    },
    { ...WRITE, warnings: [] },
  );
}

/** Creates or restores the bootstrap FlowSchemas and PriorityLevelConfigurations. */
export async function ensureFlowControlConfiguration(options: EnsureOptions): Promise<void> {
  const { flowSchemas, priorityLevels } = options;
  await Promise.all([
    ...mandatoryPriorityLevels().map((o) => ensure(priorityLevels, o, true)),
    ...suggestedPriorityLevels().map((o) => ensure(priorityLevels, o, false)),
    ...mandatoryFlowSchemas().map((o) => ensure(flowSchemas, o, true)),
    ...suggestedFlowSchemas().map((o) => ensure(flowSchemas, o, false)),
  ]);
}
