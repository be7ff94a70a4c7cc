/**
 * PodSecurity admission (upstream k8s.io/pod-security-admission/admission): a namespace's
 * `pod-security.kubernetes.io/{enforce,warn,audit}[-version]` labels pick a Pod Security
 * Standard per mode. Pods violating the enforce level are forbidden; the warn level's
 * violations come back as warnings; pod controllers' templates get warnings only; labelling a
 * namespace with a stricter enforce level warns about its existing pods. The request's audit
 * event is annotated as upstream: pod-security.kubernetes.io/enforce-policy (pods),
 * pod-security.kubernetes.io/audit-violations (the audit level's violations) and
 * pod-security.kubernetes.io/exempt (namespace, user or runtimeClass).
 */
import { asObj, strMap, type Obj } from '../../../api/core/access.js';
import { jsonEqual } from '../../../machinery/json-equal.js';
import { newForbidden, newInvalid, type FieldError } from '../../../machinery/errors.js';
import type { KubeObject } from '../../../machinery/object.js';
import { invalid } from '../../../machinery/validation/field.js';
import { namespacePrefix } from '../../registry/keys.js';
import type { WatchCache } from '../../watch/cache.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../interface.js';
import {
  type LevelVersion,
  type Mode,
  LABEL_PREFIX,
  MODES,
  evaluatePod,
  parseLevel,
  parseVersion,
  policyFromLabels,
  policyName,
  violationsText,
} from './policy.js';
import type { Violation } from './check.js';
import { NO_POD_SECURITY_CONFIGURATION, type PodSecurityConfiguration } from './config.js';

export interface PodSecurityOptions {
  /** The namespaces' watch cache (available once the registry serves them). */
  namespaces: () => WatchCache | undefined;
  /** The pods' watch cache, for the existing pods a new enforce level is checked against. */
  pods: () => WatchCache | undefined;
  /** Defaults and exemptions (--admission-control-config-file); none when not given. */
  configuration?: PodSecurityConfiguration;
}

/** Where each pod controller keeps its pod template (upstream's DefaultPodSpecExtractor). */
const TEMPLATE_PATHS: Record<string, string[]> = {
  '/podtemplates': ['template'],
  '/replicationcontrollers': ['spec', 'template'],
  'apps/replicasets': ['spec', 'template'],
  'apps/deployments': ['spec', 'template'],
  'apps/statefulsets': ['spec', 'template'],
  'apps/daemonsets': ['spec', 'template'],
  'batch/jobs': ['spec', 'template'],
  'batch/cronjobs': ['spec', 'jobTemplate', 'spec', 'template'],
};

/** At most this many pods are named when a namespace's new enforce level is checked. */
const MAX_POD_WARNINGS = 10;

export class PodSecurity implements AdmissionPlugin {
  readonly name = 'PodSecurity';
  readonly #options: PodSecurityOptions;
  readonly #config: PodSecurityConfiguration;

  constructor(options: PodSecurityOptions) {
    this.#options = options;
    this.#config = options.configuration ?? NO_POD_SECURITY_CONFIGURATION;
  }

  /**
   * Exempt requests are not evaluated at all: by namespace, user or the pod's RuntimeClass (in
   * upstream's order); the reason goes into the audit annotation `exempt`.
   */
  #exempt(attrs: AdmissionAttributes, spec: Obj): boolean {
    const config = this.#config;
    const runtimeClass = spec['runtimeClassName'];
    const reason = config.exemptNamespaces.has(attrs.namespace)
      ? 'namespace'
      : attrs.user && config.exemptUsernames.has(attrs.user.name)
        ? 'user'
        : typeof runtimeClass === 'string' && config.exemptRuntimeClasses.has(runtimeClass)
          ? 'runtimeClass'
          : undefined;
    if (reason) attrs.addAnnotation?.(`${LABEL_PREFIX}exempt`, reason);
    return reason !== undefined;
  }

  validate(attrs: AdmissionAttributes): void {
    const { type } = attrs;
    if (attrs.operation === 'DELETE' || !attrs.object) return;
    if (type.group === '' && type.plural === 'namespaces') {
      if (!attrs.subresource) this.#validateNamespace(attrs, attrs.object);
      return;
    }
    if (type.group === '' && type.plural === 'pods') {
      if (attrs.subresource && attrs.subresource !== 'ephemeralcontainers') return;
      if (attrs.operation === 'UPDATE' && attrs.oldObject && !significantPodUpdate(attrs.object, attrs.oldObject)) return;
      const spec = asObj(attrs.object['spec']) ?? {};
      if (!this.#exempt(attrs, spec)) this.#validatePod(attrs, asObj(attrs.object.metadata) ?? {}, spec);
      return;
    }
    const path = TEMPLATE_PATHS[`${type.group}/${type.plural}`];
    if (path && !attrs.subresource) {
      const templateOf = (o: KubeObject) => path.reduce<Obj | undefined>((parent, k) => asObj(parent?.[k]), o as Obj);
      const template = templateOf(attrs.object);
      const spec = asObj(template?.['spec']);
      // an update that leaves the template as it was (a scale, a controller's annotation) is not evaluated
      if (attrs.oldObject && jsonEqual(template, templateOf(attrs.oldObject))) return;
      if (template && spec && !this.#exempt(attrs, spec)) this.#warnTemplate(attrs, asObj(template['metadata']) ?? {}, spec);
    }
  }

  #policy(namespace: string): Record<Mode, LevelVersion> {
    const cache = this.#options.namespaces();
    const ns = cache?.get(`${cache.prefix}${namespace}`);
    return policyFromLabels({ ...this.#config.defaultLabels, ...strMap(ns?.metadata.labels) });
  }

  #validatePod(attrs: AdmissionAttributes, meta: Obj, spec: Obj): void {
    const policy = this.#policy(attrs.namespace);
    attrs.addAnnotation?.(`${LABEL_PREFIX}enforce-policy`, policyName(policy.enforce));
    const enforced = evaluatePod(policy.enforce, meta, spec);
    this.#annotateAudit(attrs, policy, meta, spec, enforced);
    if (enforced.length > 0) {
      const why = `violates PodSecurity ${JSON.stringify(policyName(policy.enforce))}: ${violationsText(enforced)}`;
      throw newForbidden({ group: '', resource: 'pods' }, attrs.name, why);
    }
    warnIfViolated(attrs, policy.warn, evaluatePod(policy.warn, meta, spec));
  }

  /** Pod controllers are never refused: enforce and warn violations are both warnings. */
  #warnTemplate(attrs: AdmissionAttributes, meta: Obj, spec: Obj): void {
    const policy = this.#policy(attrs.namespace);
    const enforced = evaluatePod(policy.enforce, meta, spec);
    this.#annotateAudit(attrs, policy, meta, spec, enforced);
    warnIfViolated(attrs, policy.enforce, enforced);
    if (policyName(policy.warn) !== policyName(policy.enforce)) {
      warnIfViolated(attrs, policy.warn, evaluatePod(policy.warn, meta, spec));
    }
  }

  /** The audit level's violations (the enforce evaluation reused when both are the same policy). */
  #annotateAudit(attrs: AdmissionAttributes, policy: Record<Mode, LevelVersion>, meta: Obj, spec: Obj, enforced: Violation[]): void {
    if (!attrs.addAnnotation) return;
    const same = policyName(policy.audit) === policyName(policy.enforce);
    const violations = same ? enforced : evaluatePod(policy.audit, meta, spec);
    if (violations.length === 0) return;
    const text = `would violate PodSecurity ${JSON.stringify(policyName(policy.audit))}: ${violationsText(violations)}`;
    attrs.addAnnotation(`${LABEL_PREFIX}audit-violations`, text);
  }

  #validateNamespace(attrs: AdmissionAttributes, ns: KubeObject): void {
    const labels = strMap(ns.metadata.labels);
    const errs: FieldError[] = [];
    for (const mode of MODES) {
      const level = labels[`${LABEL_PREFIX}${mode}`];
      if (level !== undefined && !parseLevel(level)) {
        errs.push(invalid(`metadata.labels[${LABEL_PREFIX}${mode}]`, level, 'must be one of privileged, baseline, restricted'));
      }
      const version = labels[`${LABEL_PREFIX}${mode}-version`];
      if (version !== undefined && !parseVersion(version)) {
        errs.push(invalid(`metadata.labels[${LABEL_PREFIX}${mode}-version]`, version, 'must be "latest" or of the form "v1.x"'));
      }
    }
    if (errs.length > 0) throw newInvalid({ group: '', kind: 'Namespace' }, attrs.name, errs);
    if (attrs.operation !== 'UPDATE' || !attrs.oldObject) return;
    if (this.#config.exemptNamespaces.has(attrs.name)) return;
    const defaults = this.#config.defaultLabels;
    const enforce = policyFromLabels({ ...defaults, ...labels }).enforce;
    const before = policyFromLabels({ ...defaults, ...strMap(attrs.oldObject.metadata.labels) }).enforce;
    if (policyName(enforce) === policyName(before) || enforce.level === 'privileged') return;
    this.#warnExistingPods(attrs, enforce);
  }

  /** Upstream groups pods with the same violations: `web-1 (and 2 other pods): privileged`. */
  #warnExistingPods(attrs: AdmissionAttributes, enforce: LevelVersion): void {
    const cache = this.#options.pods();
    if (!cache) return;
    const groups = new Map<string, string[]>();
    for (const pod of cache.list(namespacePrefix(cache.prefix, attrs.name))) {
      const runtimeClass = asObj(pod['spec'])?.['runtimeClassName'];
      if (typeof runtimeClass === 'string' && this.#config.exemptRuntimeClasses.has(runtimeClass)) continue;
      const violations = evaluatePod(enforce, asObj(pod.metadata) ?? {}, asObj(pod['spec']) ?? {});
      if (violations.length === 0) continue;
      const reasons = violations.map((v) => v.reason).join(', ');
      groups.set(reasons, [...(groups.get(reasons) ?? []), pod.metadata.name ?? '']);
    }
    if (groups.size === 0) return;
    const warnings = [
      `existing pods in namespace ${JSON.stringify(attrs.name)} violate the new PodSecurity enforce level ${JSON.stringify(policyName(enforce))}`,
    ];
    for (const [reasons, pods] of [...groups].slice(0, MAX_POD_WARNINGS)) {
      const others = pods.length - 1;
      const who = others === 0 ? pods[0] : `${pods[0]} (and ${others} other ${others === 1 ? 'pod' : 'pods'})`;
      warnings.push(`${who}: ${reasons}`);
    }
    attrs.warnings?.push(...warnings);
  }
}

function warnIfViolated(attrs: AdmissionAttributes, policy: LevelVersion, violations: Violation[]): void {
  if (violations.length === 0) return;
  attrs.warnings?.push(`would violate PodSecurity ${JSON.stringify(policyName(policy))}: ${violationsText(violations)}`);
}

/** A pod update matters unless only metadata, status or container images changed (upstream isSignificantPodUpdate). */
function significantPodUpdate(pod: KubeObject, old: KubeObject): boolean {
  const withoutImages = (spec: unknown): unknown => {
    const copy = structuredClone(asObj(spec) ?? {});
    for (const key of ['containers', 'initContainers', 'ephemeralContainers']) {
      for (const c of (copy[key] as Obj[] | undefined) ?? []) delete c['image'];
    }
    return copy;
  };
  return !jsonEqual(withoutImages(pod['spec']), withoutImages(old['spec']));
}
