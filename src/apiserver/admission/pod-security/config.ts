/**
 * PodSecurityConfiguration (pod-security.admission.config.k8s.io/v1): the levels of namespaces
 * without labels (`defaults`) and the requests never evaluated (`exemptions` by user name,
 * namespace or RuntimeClass).
 */
import { arr, asObj, str, strMap, type Obj } from '../../../api/core/access.js';
import { LABEL_PREFIX, MODES, parseLevel, parseVersion } from './policy.js';

export interface PodSecurityConfiguration {
  /** The defaults as namespace labels would give them; a namespace's own labels win key by key. */
  defaultLabels: Record<string, string>;
  exemptUsernames: Set<string>;
  exemptNamespaces: Set<string>;
  exemptRuntimeClasses: Set<string>;
}

export const NO_POD_SECURITY_CONFIGURATION: PodSecurityConfiguration = {
  defaultLabels: {},
  exemptUsernames: new Set(),
  exemptNamespaces: new Set(),
  exemptRuntimeClasses: new Set(),
};

const API_VERSIONS = new Set(['pod-security.admission.config.k8s.io/v1', 'pod-security.admission.config.k8s.io/v1beta1']);

/** Parses and checks a PodSecurityConfiguration object; throws on invalid levels or versions. */
export function parsePodSecurityConfiguration(config: Obj): PodSecurityConfiguration {
  if (!API_VERSIONS.has(str(config['apiVersion'])) || config['kind'] !== 'PodSecurityConfiguration') {
    throw new Error('PodSecurity: want a pod-security.admission.config.k8s.io/v1 PodSecurityConfiguration');
  }
  const defaults = strMap(config['defaults']);
  const defaultLabels: Record<string, string> = {};
  for (const mode of MODES) {
    const level = defaults[mode];
    const version = defaults[`${mode}-version`];
    if (level !== undefined) {
      if (!parseLevel(level)) throw new Error(`PodSecurity: defaults.${mode}: invalid level "${level}"`);
      defaultLabels[`${LABEL_PREFIX}${mode}`] = level;
    }
    if (version !== undefined) {
      if (!parseVersion(version)) throw new Error(`PodSecurity: defaults.${mode}-version: invalid version "${version}"`);
      defaultLabels[`${LABEL_PREFIX}${mode}-version`] = version;
    }
  }
  const exemptions = asObj(config['exemptions']) ?? {};
  const set = (key: string) => new Set(arr(exemptions[key]).map(str));
  return {
    defaultLabels,
    exemptUsernames: set('usernames'),
    exemptNamespaces: set('namespaces'),
    exemptRuntimeClasses: set('runtimeClasses'),
  };
}
