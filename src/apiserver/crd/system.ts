/** The identity the apiserver's own CRD machinery writes with (upstream: its loopback client). */
import type { WriteOptions } from '../registry/context.js';

export function systemWriteOptions(): WriteOptions {
  return {
    user: { name: 'system:apiserver', groups: ['system:masters'] },
    dryRun: false,
    fieldManager: 'kube-apiserver',
    fieldValidation: 'Ignore',
    warnings: [],
  };
}
