/** The definitions a document carries: everything its operations reach, built-in or custom. */
import { closure, definition, type PublishedGvk } from './schemas.js';
import { schemaRefs } from './custom-schemas.js';
import { PER_GROUP_VERSION_KINDS, type Dialect, type JsonSchema } from './well-known.js';

export interface GroupVersion {
  readonly group: string;
  readonly version: string;
}

/**
 * Definitions reachable from `roots`, sorted by name. `custom` holds custom-resource
 * definitions of this dialect; DeleteOptions and WatchEvent carry a GVK per group-version in
 * `groupVersions` (as upstream, where every group registers them).
 */
export function collectDefinitions(
  roots: Iterable<string>,
  dialect: Dialect,
  custom: ReadonlyMap<string, JsonSchema>,
  groupVersions: readonly GroupVersion[],
): Record<string, JsonSchema> {
  const names = closure(roots, (name) => {
    const schema = custom.get(name);
    return schema ? schemaRefs(schema) : [];
  });
  const out: Record<string, JsonSchema> = {};
  for (const name of names) {
    const schema = custom.get(name) ?? definition(name, dialect);
    if (schema === undefined) continue;
    const kind = PER_GROUP_VERSION_KINDS[name];
    out[name] = kind ? { ...schema, 'x-kubernetes-group-version-kind': groupVersionKinds(kind, groupVersions) } : schema;
  }
  return out;
}

function groupVersionKinds(kind: string, groupVersions: readonly GroupVersion[]): PublishedGvk[] {
  const seen = new Set<string>();
  const out: PublishedGvk[] = [];
  for (const gv of [{ group: '', version: 'v1' }, ...groupVersions]) {
    const key = `${gv.group}/${gv.version}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ group: gv.group, kind, version: gv.version });
  }
  return out.sort((a, b) => a.group.localeCompare(b.group) || a.version.localeCompare(b.version));
}
