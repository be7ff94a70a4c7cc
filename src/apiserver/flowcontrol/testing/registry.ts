/** A real in-memory registry serving the flowcontrol resources, for this package's unit tests. */
import { flowcontrolResources } from '../../../api/flowcontrol/resources.js';
import { openSqliteStorage } from '../../../storage/sqlite/sqlite-storage.js';
import { ApiRegistry } from '../../api-registry.js';
import { managedFieldsTracker } from '../../registry/managed-fields-tracker.js';
import type { ResourceStore } from '../../registry/store.js';
import type { WriteOptions } from '../../registry/context.js';

export interface FlowControlRegistry {
  flowSchemas: ResourceStore;
  priorityLevels: ResourceStore;
  close(): Promise<void>;
}

export const ADMIN_WRITE: WriteOptions = {
  user: { name: 'admin', groups: ['system:masters'] },
  dryRun: false,
  fieldManager: 'test',
  fieldValidation: 'Strict',
  warnings: [],
};

export async function flowControlRegistry(): Promise<FlowControlRegistry> {
  const storage = await openSqliteStorage({ path: ':memory:' });
  const registry = new ApiRegistry({ storage, tracker: managedFieldsTracker });
  for (const type of flowcontrolResources) await registry.add(type);
  const lookup = (plural: string): ResourceStore => {
    const store = registry.lookup('flowcontrol.apiserver.k8s.io', 'v1', plural);
    if (!store) throw new Error(`${plural} not served`);
    return store;
  };
  return {
    flowSchemas: lookup('flowschemas'),
    priorityLevels: lookup('prioritylevelconfigurations'),
    async close() {
      registry.stop();
      await storage.close();
    },
  };
}
