/**
 * MutatingAdmissionWebhook: calls the matching mutating webhooks in order, applies their
 * JSONPatch to the object, and calls the IfNeeded webhooks once more when a later webhook
 * changed the object (upstream's reinvocation). Runs after the built-in mutating plugins.
 */
import { applyJsonPatchOperations, type JsonPatchOperation } from '../../../machinery/patch/json-patch.js';
import { jsonEqual } from '../../../machinery/patch/json-value.js';
import { newBadRequest, newInternalError, newInvalid } from '../../../machinery/errors.js';
import { hasSpecChange } from '../../registry/compare.js';
import { validateMetadataForUpdate } from '../../registry/metadata.js';
import type { KubeObject } from '../../../machinery/object.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../interface.js';
import { failurePolicyOutcome, WebhookDispatcher, type PreparedCall, type WebhookDispatcherOptions } from './dispatcher.js';
import { WebhookCallError } from './errors.js';
import { versioned } from './review.js';

export class MutatingAdmissionWebhook implements AdmissionPlugin {
  readonly name = 'MutatingAdmissionWebhook';
  readonly #dispatcher: WebhookDispatcher;

  constructor(options: WebhookDispatcherOptions) {
    this.#dispatcher = new WebhookDispatcher(options);
  }

  async admit(attrs: AdmissionAttributes): Promise<void> {
    const hooks = this.#dispatcher.webhooksFor(attrs);
    if (hooks.length === 0) return;
    // uids of IfNeeded webhooks called before the latest change, and those to call again
    let previouslyInvoked: string[] = [];
    const reinvoke = new Set<string>();
    let mutated = false;
    for (const round of [0, 1]) {
      if (round === 1 && reinvoke.size === 0) break;
      for (const [index, hook] of hooks.entries()) {
        if (round === 1 && !reinvoke.has(hook.uid)) continue;
        const call = await this.#dispatcher.prepare(hook, attrs);
        if (!call) continue;
        let changed = false;
        let failure: unknown;
        try {
          changed = await this.#callAndPatch(call, attrs);
        } catch (err) {
          failure = err;
        }
        const at = `round_${round}_index_${index}`;
        const mutation = { configuration: hook.configurationName, webhook: hook.name, mutated: changed };
        attrs.addAnnotation?.(`mutation.webhook.admission.k8s.io/${at}`, JSON.stringify(mutation));
        if (changed) {
          mutated = true;
          for (const uid of previouslyInvoked) reinvoke.add(uid);
          previouslyInvoked = [];
        }
        if (hook.reinvocationPolicy === 'IfNeeded') previouslyInvoked.push(hook.uid);
        if (failure !== undefined) {
          const err = failurePolicyOutcome(hook, failure);
          if (err) throw err;
          attrs.addAnnotation?.(`failed-open.mutation.webhook.admission.k8s.io/${at}`, hook.name);
        }
      }
    }
    if (mutated) validatePatchedUpdate(attrs);
  }

  /** Calls one webhook and applies its patch; true when the object changed. */
  async #callAndPatch(call: PreparedCall, attrs: AdmissionAttributes): Promise<boolean> {
    const hook = call.invocation.webhook;
    const response = await this.#dispatcher.call(call, attrs, true);
    if (!response.patch) return false;
    let ops: JsonPatchOperation[];
    try {
      const parsed: unknown = JSON.parse(response.patch);
      if (!Array.isArray(parsed)) throw new Error('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
      ops = parsed as JsonPatchOperation[];
    } catch (err) {
      throw new WebhookCallError(
        hook.name,
        `received undecodable patch in webhook response: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    if (ops.length === 0) return false;
    const object = attrs.object;
    if (!object) {
      throw newInternalError(
        new Error(
          `admission webhook ${JSON.stringify(hook.name)} attempted to modify the object, which is not supported for this operation`,
        ),
      );
    }
    const conversion = call.invocation.conversion;
    let patched: KubeObject;
    try {
      patched = applyJsonPatchOperations(versioned(object, call.invocation), ops) as KubeObject;
    } catch (err) {
      throw newInternalError(err);
    }
    if (conversion) patched = conversion.fromInvocation(patched);
    attrs.type.strategy.defaults?.(patched);
    keepSystemFields(patched, object, attrs);
    if (jsonEqual(object, patched)) return false;
    replaceContents(object, patched);
    return true;
  }
}

/**
 * What the registry set before admission stays (upstream fills these after it): uid, creation
 * time, resourceVersion; the namespace may not move; a spec a webhook changed bumps generation once.
 */
function keepSystemFields(patched: KubeObject, before: KubeObject, attrs: AdmissionAttributes): void {
  const meta = (patched.metadata ??= {});
  if ((meta.namespace ?? '') !== (before.metadata.namespace ?? '')) {
    throw newBadRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  for (const key of ['uid', 'creationTimestamp', 'resourceVersion', 'generation'] as const) {
    if (before.metadata[key] === undefined) delete meta[key];
    else (meta as Record<string, unknown>)[key] = before.metadata[key];
  }
  const old = attrs.oldObject;
  if (
    attrs.operation === 'UPDATE' &&
    old &&
    meta.generation !== undefined &&
    meta.generation === old.metadata.generation &&
    hasSpecChange(patched, old)
  ) {
    meta.generation += 1;
  }
}

/**
 * The registry validates a created object after mutating admission, an updated one before it:
 * an update a webhook changed is validated again here, as upstream validates after admission.
 */
function validatePatchedUpdate(attrs: AdmissionAttributes): void {
  const { object, oldObject, type } = attrs;
  if (attrs.operation !== 'UPDATE' || !object || !oldObject) return;
  const errs =
    attrs.subresource === 'status'
      ? (type.strategy.validateStatusUpdate?.(object, oldObject) ?? [])
      : [
          ...validateMetadataForUpdate(type, object, oldObject),
          ...(attrs.subresource ? [] : (type.strategy.validateUpdate?.(object, oldObject) ?? [])),
        ];
  if (errs.length > 0) throw newInvalid({ group: type.group, kind: type.kind }, attrs.name, errs);
}

/** The registry keeps a reference to the object: the patched one replaces its contents in place. */
function replaceContents(target: KubeObject, source: KubeObject): void {
  for (const key of Object.keys(target)) delete target[key];
  Object.assign(target, source);
}
