/**
 * The resources the garbage collector and namespace deletion walk, as plain data the controller
 * manager can be handed on any thread (upstream finds them through discovery).
 */
import type { ResourceType } from '../api/resource.js';
import type { GCResource } from './garbage-collector/graph.js';

/** Resources that can be listed, watched and deleted (not reviews, not bindings), one version per storage. */
export function collectableResources(resources: readonly ResourceType[]): GCResource[] {
  const verbs = (t: ResourceType): readonly string[] => t.verbs ?? ['list', 'watch', 'delete'];
  const seen = new Set<string>();
  const out: GCResource[] = [];
  for (const t of resources) {
    const v = verbs(t);
    if (!v.includes('list') || !v.includes('watch') || !v.includes('delete')) continue;
    // one version per storage: events.k8s.io and autoscaling/v1 share another version's objects
    if (t.storage && (t.storage.group !== t.group || t.storage.version !== t.version)) continue;
    const key = `${t.group}/${t.plural}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ gvr: { group: t.group, version: t.version, resource: t.plural }, kind: t.kind, namespaced: t.namespaced });
  }
  return out;
}
