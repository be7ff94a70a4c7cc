/** The namespaces strategy (pkg/registry/core/namespace): phase, the kubernetes finalizer, finalize. */
import type { ResourceStrategy, TablePrinter } from '../resource.js';
import type { KubeObject } from '../../machinery/object.js';
import type { FieldError } from '../../machinery/errors.js';
import { invalid, newPath, type FieldPath } from '../../machinery/validation/field.js';
import { validateFinalizerName } from '../../machinery/validation/object-meta.js';
import { arr, child, part, str } from './access.js';
import { AGE_COLUMN, NAME_COLUMN, age, column } from './printer-columns.js';
import { cloneJson } from '../../machinery/clone.js';

export const FINALIZER_KUBERNETES = 'kubernetes';
export const LABEL_METADATA_NAME = 'kubernetes.io/metadata.name';
const STANDARD_FINALIZERS = new Set([FINALIZER_KUBERNETES, 'orphan', 'foregroundDeletion']);

/** validateFinalizerName of core validation: qualified, and standard unless it has a domain. */
export function validateKubeFinalizerName(name: string, path: FieldPath): FieldError[] {
  const errs = validateFinalizerName(name, path);
  if (!name.includes('/') && !STANDARD_FINALIZERS.has(name)) {
    errs.push(invalid(path, name, 'name is neither a standard finalizer name nor is it fully qualified'));
  }
  return errs;
}

function validateSpecFinalizers(ns: KubeObject): FieldError[] {
  const path = newPath('spec', 'finalizers');
  return arr(part(ns, 'spec')['finalizers']).flatMap((f) => validateKubeFinalizerName(str(f), path));
}

/** SetDefaults_Namespace and SetDefaults_NamespaceStatus. */
function defaultNamespace(ns: KubeObject): void {
  const name = ns.metadata.name;
  if (name) ns.metadata.labels = { ...ns.metadata.labels, [LABEL_METADATA_NAME]: name };
  const status = part(ns, 'status');
  if (ns['status'] !== undefined && !status['phase']) status['phase'] = 'Active';
}

export const namespaceStrategy: ResourceStrategy = {
  defaults: defaultNamespace,
  prepareForCreate(ns) {
    ns['status'] = { phase: 'Active' };
    const spec = child(ns, 'spec');
    const finalizers = arr(spec['finalizers']).map(str);
    if (!finalizers.includes(FINALIZER_KUBERNETES)) finalizers.push(FINALIZER_KUBERNETES);
    spec['finalizers'] = finalizers;
  },
  prepareForUpdate(ns, old) {
    // finalizers change only through the finalize subresource
    const oldFinalizers = part(old, 'spec')['finalizers'];
    const spec = child(ns, 'spec');
    if (oldFinalizers === undefined) delete spec['finalizers'];
    else spec['finalizers'] = cloneJson(oldFinalizers);
  },
  validate: validateSpecFinalizers,
  validateUpdate: validateSpecFinalizers,
  validateStatusUpdate(ns) {
    const phase = str(part(ns, 'status')['phase']);
    const path = newPath('status', 'Phase');
    if (!ns.metadata.deletionTimestamp) {
      return phase === 'Active' ? [] : [invalid(path, phase, "may only be 'Active' if `deletionTimestamp` is empty")];
    }
    return phase === 'Terminating' ? [] : [invalid(path, phase, "may only be 'Terminating' if `deletionTimestamp` is not empty")];
  },
  selectableFields: (ns) => ({ 'status.phase': str(part(ns, 'status')['phase']) }),
};

/** The finalize subresource (namespaceFinalizeStrategy): only spec.finalizers may change. */
export function prepareNamespaceFinalize(ns: KubeObject, old: KubeObject): void {
  const finalizers = part(ns, 'spec')['finalizers'];
  for (const k of Object.keys(ns)) if (k !== 'metadata' && k !== 'apiVersion' && k !== 'kind') delete ns[k];
  for (const [k, v] of Object.entries(old)) if (k !== 'metadata') ns[k] = cloneJson(v);
  const spec = child(ns, 'spec');
  if (finalizers === undefined) delete spec['finalizers'];
  else spec['finalizers'] = finalizers;
}

export function validateNamespaceFinalize(ns: KubeObject): FieldError[] {
  return validateSpecFinalizers(ns);
}

export const namespacePrinter: TablePrinter = {
  columns: [NAME_COLUMN, column('Status', 'string', 'The status of the namespace'), AGE_COLUMN],
  row: (ns, now) => [ns.metadata.name ?? '', str(part(ns, 'status')['phase']), age(ns.metadata.creationTimestamp, now)],
};

/** spec.finalizers: the namespace controller empties them (finalize) before the namespace goes. */
export function namespaceSpecFinalizers(ns: KubeObject): readonly string[] {
  const spec = ns['spec'] as { finalizers?: string[] } | undefined;
  return spec?.finalizers ?? [];
}

/** A namespace whose deletion has begun is Terminating. */
export function markNamespaceTerminating(ns: KubeObject): void {
  const status = (ns['status'] ??= {}) as { phase?: string };
  status.phase = 'Terminating';
}
