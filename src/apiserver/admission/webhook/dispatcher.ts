/**
 * What both webhook plugins share: finding the invocations of a request (rules and selectors,
 * then matchConditions through the optional CEL seam) and calling one webhook (dry-run check,
 * AdmissionReview version, HTTPS post, response checks, warnings, rejection).
 */
import { randomUUID } from 'node:crypto';
import type { Obj } from '../../../api/core/access.js';
import { newInternalError } from '../../../machinery/errors.js';
import type { AdmissionAttributes } from '../interface.js';
import { postAdmissionReview } from './client.js';
import { dryRunUnsupported, WebhookCallError, webhookRejection } from './errors.js';
import type { MatchConditionEvaluator, ServiceResolver, Webhook, WebhookInvocation } from './interface.js';
import { isExemptFromWebhooks, shouldCallHook, type MatcherOptions } from './matcher.js';
import {
  admissionRequest,
  admissionReview,
  pickAdmissionReviewVersion,
  verifyAdmissionResponse,
  type AdmissionResponse,
} from './review.js';

export interface WebhookDispatcherOptions {
  /** The current webhooks, in calling order. */
  webhooks: () => readonly Webhook[];
  matcher: MatcherOptions;
  services?: ServiceResolver;
  /** The CEL seam for matchConditions; without it a webhook with matchConditions fails per its failurePolicy. */
  matchConditions?: MatchConditionEvaluator;
}

const NO_SIDE_EFFECTS = new Set(['None', 'NoneOnDryRun']);
const MAX_TIMEOUT_SECONDS = 30;

/** A matched webhook with the request it gets (built once, as matchConditions see it too). */
export interface PreparedCall {
  invocation: WebhookInvocation;
  uid: string;
  request: Obj;
}

export class WebhookDispatcher {
  readonly #options: WebhookDispatcherOptions;

  constructor(options: WebhookDispatcherOptions) {
    this.#options = options;
  }

  /** The webhooks in calling order, none for the exempt admissionregistration resources. */
  webhooksFor(attrs: AdmissionAttributes): readonly Webhook[] {
    return isExemptFromWebhooks(attrs) ? [] : this.#options.webhooks();
  }

  /**
   * The call this webhook gets, undefined when it does not match. Throws the StatusError of a
   * selector that cannot be evaluated, or of matchConditions that failed under failurePolicy Fail.
   */
  async prepare(hook: Webhook, attrs: AdmissionAttributes): Promise<PreparedCall | undefined> {
    const invocation = shouldCallHook(hook, attrs, this.#options.matcher);
    if (!invocation) return undefined;
    const uid = randomUUID();
    const request = admissionRequest(uid, attrs, invocation);
    if (hook.matchConditions.length > 0) {
      const evaluator = this.#options.matchConditions;
      const result = evaluator
        ? await evaluator.evaluate(hook.matchConditions, attrs)
        : { error: 'matchConditions cannot be evaluated: no CEL environment' };
      if ('error' in result) {
        if (hook.failurePolicy === 'Ignore') return undefined;
        throw newInternalError(new WebhookCallError(hook.name, result.error));
      }
      if (!result.matches) return undefined;
    }
    return { invocation, uid, request };
  }

  /**
   * Calls the webhook: the checked answer when it allowed the request. Throws the rejection
   * (StatusError), a dry-run refusal (StatusError) or a WebhookCallError (failurePolicy applies).
   */
  async call(call: PreparedCall, attrs: AdmissionAttributes, mutating: boolean): Promise<AdmissionResponse> {
    const hook = call.invocation.webhook;
    if (attrs.dryRun && !NO_SIDE_EFFECTS.has(hook.sideEffects)) throw dryRunUnsupported(hook.name);
    const version = pickAdmissionReviewVersion(hook.admissionReviewVersions);
    if (!version) {
      throw new WebhookCallError(hook.name, 'could not create admission objects: webhook does not accept known AdmissionReview versions');
    }
    let answer: unknown;
    try {
      answer = await postAdmissionReview({
        clientConfig: hook.clientConfig,
        body: admissionReview(version, call.request),
        timeoutSeconds: Math.min(Math.max(hook.timeoutSeconds, 1), MAX_TIMEOUT_SECONDS),
        ...(this.#options.services ? { services: this.#options.services } : {}),
      });
    } catch (err) {
      throw new WebhookCallError(hook.name, `failed to call webhook: ${err instanceof Error ? err.message : String(err)}`);
    }
    let response: AdmissionResponse;
    try {
      response = verifyAdmissionResponse(call.uid, mutating, version, answer);
    } catch (err) {
      throw new WebhookCallError(hook.name, `received invalid webhook response: ${err instanceof Error ? err.message : String(err)}`);
    }
    attrs.warnings?.push(...response.warnings);
    for (const [k, v] of Object.entries(response.auditAnnotations)) attrs.addAnnotation?.(`${hook.name}/${k}`, v);
    if (!response.allowed) throw webhookRejection(hook.name, response.result);
    return response;
  }
}

/** failurePolicy applied to a failed call: undefined to go on (Ignore), else the error to answer. */
export function failurePolicyOutcome(hook: Webhook, err: unknown): Error | undefined {
  if (!(err instanceof WebhookCallError)) return err instanceof Error ? err : new Error(String(err));
  return hook.failurePolicy === 'Ignore' ? undefined : newInternalError(err);
}
