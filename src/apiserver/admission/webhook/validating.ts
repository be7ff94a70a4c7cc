/**
 * ValidatingAdmissionWebhook: calls every matching validating webhook in parallel after the
 * built-in validating plugins; the first failure in webhook order is the answer.
 */
import type { AdmissionAttributes, AdmissionPlugin } from '../interface.js';
import { failurePolicyOutcome, WebhookDispatcher, type PreparedCall, type WebhookDispatcherOptions } from './dispatcher.js';

export class ValidatingAdmissionWebhook implements AdmissionPlugin {
  readonly name = 'ValidatingAdmissionWebhook';
  readonly #dispatcher: WebhookDispatcher;

  constructor(options: WebhookDispatcherOptions) {
    this.#dispatcher = new WebhookDispatcher(options);
  }

  async validate(attrs: AdmissionAttributes): Promise<void> {
    const hooks = this.#dispatcher.webhooksFor(attrs);
    if (hooks.length === 0) return;
    const calls: { call: PreparedCall; index: number }[] = [];
    for (const [index, hook] of hooks.entries()) {
      const call = await this.#dispatcher.prepare(hook, attrs);
      if (call) calls.push({ call, index });
    }
    const outcomes = await Promise.all(
      calls.map(async ({ call, index }) => {
        try {
          await this.#dispatcher.call(call, attrs, false);
          return undefined;
        } catch (err) {
          const hook = call.invocation.webhook;
          const outcome = failurePolicyOutcome(hook, err);
          if (!outcome) attrs.addAnnotation?.(`failed-open.validating.webhook.admission.k8s.io/round_0_index_${index}`, hook.name);
          return outcome;
        }
      }),
    );
    const failure = outcomes.find((e) => e !== undefined);
    if (failure) throw failure;
  }
}
