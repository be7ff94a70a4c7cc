/**
 * The ValidatingAdmissionPolicy admission plugin (upstream plugin/policy/validating): for each
 * policy whose matchConstraints select the request and each binding of it that selects the
 * request too, evaluate the policy (once per param object the binding's paramRef finds) and
 * enforce failed validations per the binding's validationActions — Deny refuses with
 * `ValidatingAdmissionPolicy 'p' with binding 'b' denied request: …`, Warn adds a warning,
 * Audit an audit annotation. Policies, bindings, namespaces and params come from watch caches.
 */
import { arr, asObj, part, str } from '../../../api/core/access.js';
import { newForbidden, StatusError, type Status } from '../../../machinery/errors.js';
import { labelSelectorFromMeta, type LabelSelector } from '../../../machinery/labels.js';
import type { KubeObject } from '../../../machinery/object.js';
import type { Authorizer } from '../../authz/interface.js';
import type { Activation } from '../../cel/environment.js';
import { admissionActivation } from '../../cel/request.js';
import { toCel } from '../../cel/values.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../interface.js';
import { compilePolicy, type CompiledPolicy } from './compile.js';
import { evaluatePolicy, type PolicyDecision } from './evaluate.js';
import { matchResources } from './matching.js';

/** Where a paramKind's objects are read. */
export interface ParamSource {
  namespaced: boolean;
  get(namespace: string, name: string): KubeObject | undefined;
  list(namespace: string): readonly KubeObject[];
}

/** The objects the plugin reads (watch caches: no API round trips). */
export interface PolicySources {
  policies(): readonly KubeObject[];
  bindings(): readonly KubeObject[];
  namespace(name: string): KubeObject | undefined;
  /** The objects of a paramKind; undefined when the kind is not served. */
  params(apiVersion: string, kind: string): ParamSource | undefined;
}

export interface ValidatingAdmissionPolicyOptions {
  sources: PolicySources;
  /** For the CEL `authorizer` variable. */
  authorizer?: Authorizer;
}

/** The audit annotation of Audit actions (upstream's validation_failure). */
export const VALIDATION_FAILURE_ANNOTATION = 'validation.policy.admission.k8s.io/validation_failure';
const EXEMPT_GROUP = 'admissionregistration.k8s.io';

const CODES: Record<string, number> = { Unauthorized: 401, Forbidden: 403, RequestEntityTooLarge: 413, Invalid: 422 };

interface Denial {
  policy: string;
  binding: string;
  decision: PolicyDecision;
}

/** A configuration error (params not found, unknown paramKind) as a decision per failurePolicy. */
class ConfigurationError extends Error {}

export class ValidatingAdmissionPolicyAdmission implements AdmissionPlugin {
  readonly name = 'ValidatingAdmissionPolicy';
  readonly #sources: PolicySources;
  readonly #authorizer: Authorizer | undefined;
  /** Compiled policies by uid, recompiled when the generation moves. */
  readonly #compiled = new Map<string, CompiledPolicy>();

  constructor(options: ValidatingAdmissionPolicyOptions) {
    this.#sources = options.sources;
    this.#authorizer = options.authorizer;
  }

  #compile(policy: KubeObject): CompiledPolicy {
    const uid = policy.metadata.uid ?? policy.metadata.name ?? '';
    let compiled = this.#compiled.get(uid);
    if (!compiled || compiled.generation !== (policy.metadata.generation ?? 0)) {
      compiled = compilePolicy(policy);
      this.#compiled.set(uid, compiled);
    }
    return compiled;
  }

  async validate(attrs: AdmissionAttributes): Promise<void> {
    if (attrs.type.group === EXEMPT_GROUP) return;
    const policies = this.#sources.policies();
    if (policies.length === 0) return;
    const live = new Set(policies.map((p) => p.metadata.uid ?? p.metadata.name ?? ''));
    for (const uid of this.#compiled.keys()) if (!live.has(uid)) this.#compiled.delete(uid);
    const namespace = attrs.namespace ? this.#sources.namespace(attrs.namespace) : undefined;
    const ctx = { namespace };
    const bindings = this.#sources.bindings();
    // the request's variables are converted once, on first use; params per binding
    let base: Activation | undefined;
    const activation = (params: unknown): Activation => {
      base ??= admissionActivation({
        attrs,
        namespaceObject: namespaceObject(namespace),
        ...(this.#authorizer ? { authorizer: this.#authorizer } : {}),
      });
      return { ...base, params: toCel(params) };
    };
    const denials: Denial[] = [];
    const audits: Record<string, unknown>[] = [];
    for (const policy of policies) {
      const policyName = policy.metadata.name ?? '';
      if (!matchResources(asObj(part(policy, 'spec')['matchConstraints']), attrs, ctx, true)) continue;
      const compiled = this.#compile(policy);
      for (const binding of bindings) {
        const spec = part(binding, 'spec');
        if (str(spec['policyName']) !== policyName) continue;
        if (!matchResources(asObj(spec['matchResources']), attrs, ctx, false)) continue;
        const bindingName = binding.metadata.name ?? '';
        const actions = arr(spec['validationActions']).map(str);
        const decisions: PolicyDecision[] = [];
        const annotations: Record<string, string> = {};
        try {
          for (const params of this.#params(policy, binding, attrs)) {
            const result = await evaluatePolicy(compiled, activation(params));
            if (!result) continue;
            decisions.push(...result.decisions);
            Object.assign(annotations, result.auditAnnotations);
          }
        } catch (err) {
          if (!(err instanceof ConfigurationError)) throw err;
          if (compiled.failurePolicy === 'Fail') {
            decisions.push({
              action: 'deny',
              message: `failed to configure binding: ${err.message}`,
              reason: 'Invalid',
              expressionIndex: -1,
            });
          }
        }
        for (const [key, value] of Object.entries(annotations)) attrs.addAnnotation?.(`${policyName}/${key}`, value);
        for (const decision of decisions) {
          if (decision.action !== 'deny') continue;
          if (actions.includes('Deny')) denials.push({ policy: policyName, binding: bindingName, decision });
          if (actions.includes('Warn')) {
            (attrs.warnings ??= []).push(
              `Validation failed for ValidatingAdmissionPolicy '${policyName}' with binding '${bindingName}': ${decision.message}`,
            );
          }
          if (actions.includes('Audit')) {
            audits.push({
              message: decision.message,
              policy: policyName,
              binding: bindingName,
              expressionIndex: decision.expressionIndex,
              validationActions: actions,
            });
          }
        }
      }
    }
    if (audits.length > 0) attrs.addAnnotation?.(VALIDATION_FAILURE_ANNOTATION, JSON.stringify(audits));
    const first = denials[0];
    if (first) throw denialError(attrs, first);
  }

  /** The param objects of this binding: [null] without paramKind or paramRef. */
  #params(policy: KubeObject, binding: KubeObject, attrs: AdmissionAttributes): readonly unknown[] {
    const kind = asObj(part(policy, 'spec')['paramKind']);
    const ref = asObj(part(binding, 'spec')['paramRef']);
    if (!kind || !ref) return [null];
    const apiVersion = str(kind['apiVersion']);
    const source = this.#sources.params(apiVersion, str(kind['kind']));
    if (!source) throw new ConfigurationError(`paramKind kind \`${apiVersion}, Kind=${str(kind['kind'])}\` not known`);
    let namespace = '';
    if (!source.namespaced && str(ref['namespace'])) {
      throw new ConfigurationError('paramRef.namespace must not be provided for a cluster-scoped `paramKind`');
    }
    if (source.namespaced) {
      namespace = str(ref['namespace']) || attrs.namespace;
      if (!namespace)
        throw new ConfigurationError('cannot use namespaced paramRef in policy binding that matches cluster-scoped resources');
    }
    const name = str(ref['name']);
    let found: readonly KubeObject[];
    if (name) {
      const one = source.get(namespace, name);
      found = one ? [one] : [];
    } else {
      const selector = labelSelectorFromMeta(asObj(ref['selector']) as LabelSelector | undefined);
      found = source.list(namespace).filter((p) => selector.matches(p.metadata.labels));
    }
    if (found.length > 0) return found;
    if (str(ref['parameterNotFoundAction']) === 'Deny') {
      throw new ConfigurationError('no params found for policy binding with `Deny` parameterNotFoundAction');
    }
    return [];
  }
}

/** The namespace as namespaceObject shows it: metadata, spec and status only. */
function namespaceObject(ns: KubeObject | undefined): unknown {
  if (!ns) return null;
  return { metadata: ns.metadata, spec: ns['spec'] ?? {}, status: ns['status'] ?? {} };
}

/** upstream: admission.NewForbidden with the decision's reason and code, the message as a cause. */
function denialError(attrs: AdmissionAttributes, d: Denial): StatusError {
  const message = `ValidatingAdmissionPolicy '${d.policy}' with binding '${d.binding}' denied request: ${d.decision.message}`;
  const name = attrs.name || attrs.object?.metadata.name || '';
  const base = newForbidden({ group: attrs.type.group, resource: attrs.type.plural }, name, message).status;
  const reason = d.decision.reason || 'Invalid';
  const status: Status = { ...base, reason, code: CODES[reason] ?? 422, details: { ...base.details, causes: [{ message }] } };
  return new StatusError(status);
}
