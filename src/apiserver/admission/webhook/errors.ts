/** The errors of webhook admission, with upstream's texts (k8s.io/apiserver/pkg/admission/plugin/webhook/errors). */
import { asObj, num, str, type Obj } from '../../../api/core/access.js';
import { newBadRequest, StatusError, type Status } from '../../../machinery/errors.js';

/**
 * A webhook could not be called or answered badly (upstream's ErrCallingWebhook): subject to
 * the webhook's failurePolicy.
 */
export class WebhookCallError extends Error {
  readonly code = 'WebhookCallError';
  readonly webhookName: string;

  constructor(webhookName: string, reason: string) {
    super(`failed calling webhook ${JSON.stringify(webhookName)}: ${reason}`);
    this.name = 'WebhookCallError';
    this.webhookName = webhookName;
  }
}

/** ToStatusErr: a webhook's rejection as the client sees it. */
export function webhookRejection(webhookName: string, result: Obj | undefined): StatusError {
  const deniedBy = `admission webhook ${JSON.stringify(webhookName)} denied the request`;
  const r = result ?? {};
  const code = num(r['code']) ?? 0;
  // status is always Failure and a code under 400 becomes 400, as upstream
  const message = str(r['message']);
  const reason = str(r['reason']);
  const status: Status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    code: Math.max(code, 400),
    message: message ? `${deniedBy}: ${message}` : reason ? `${deniedBy}: ${reason}` : `${deniedBy} without explanation`,
  };
  if (reason) status.reason = reason;
  const details = asObj(r['details']);
  if (details) status.details = details as Status['details'];
  return new StatusError(status);
}

/** NewDryRunUnsupportedErr: a dry-run request matched a webhook with side effects. */
export function dryRunUnsupported(webhookName: string): StatusError {
  return newBadRequest(`admission webhook ${JSON.stringify(webhookName)} does not support dry run`);
}
