/**
 * NamespaceLifecycle: no new objects in a namespace that does not exist or is terminating;
 * the system namespaces cannot be deleted.
 */
import { newForbidden, newNotFound, StatusError } from '../../machinery/errors.js';
import type { WatchCache } from '../watch/cache.js';
import type { AdmissionAttributes, AdmissionPlugin } from './interface.js';

const IMMORTAL = new Set(['default', 'kube-system', 'kube-public']);

export class NamespaceLifecycle implements AdmissionPlugin {
  readonly name = 'NamespaceLifecycle';
  readonly #namespaces: () => WatchCache | undefined;

  /** `namespaces` gives the namespaces' watch cache (available once the registry serves them). */
  constructor(namespaces: () => WatchCache | undefined) {
    this.#namespaces = namespaces;
  }

  validate(attrs: AdmissionAttributes): void {
    const { type } = attrs;
    if (type.group === '' && type.plural === 'namespaces') {
      if (attrs.operation === 'DELETE' && IMMORTAL.has(attrs.name)) {
        throw newForbidden({ group: '', resource: 'namespaces' }, attrs.name, 'this namespace may not be deleted');
      }
      return;
    }
    if (!type.namespaced || attrs.operation !== 'CREATE' || !attrs.namespace) return;
    // events and token reviews may be written while a namespace terminates, as upstream allows
    if (type.plural === 'events') return;
    const cache = this.#namespaces();
    if (!cache) return;
    const ns = cache.get(`${cache.prefix}${attrs.namespace}`);
    if (!ns) throw newNotFound({ group: '', resource: 'namespaces' }, attrs.namespace);
    if (ns.metadata.deletionTimestamp || (ns['status'] as { phase?: string } | undefined)?.phase === 'Terminating') {
      const resource = type.group ? `${type.plural}.${type.group}` : type.plural;
      const err = newForbidden(
        { group: type.group, resource: type.plural },
        attrs.name,
        `unable to create new content in namespace ${attrs.namespace} because it is being terminated`,
      );
      throw new StatusError({
        ...err.status,
        message: `${resource} "${attrs.name}" is forbidden: unable to create new content in namespace ${attrs.namespace} because it is being terminated`,
        details: {
          ...err.status.details,
          causes: [
            { reason: 'NamespaceTerminating', message: `namespace ${attrs.namespace} is being terminated`, field: 'metadata.namespace' },
          ],
        },
      });
    }
  }
}
