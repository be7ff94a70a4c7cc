/**
 * Webhooks from their configurations (upstream's WebhookAccessor): each configuration's
 * webhooks, defaulted, with parsed selectors, in the order upstream calls them (configurations
 * sorted by name, webhooks in list order). Parsed once per configuration resourceVersion.
 */
import type { KubeObject } from '../../../machinery/object.js';
import { arr, asObj, num, objs, str, type Obj } from '../../../api/core/access.js';
import { everything, labelSelectorFromMeta, type LabelSelector, type Selector } from '../../../machinery/labels.js';
import type { MatchCondition, Webhook, WebhookClientConfig } from './interface.js';

function selector(v: unknown): Selector | Error {
  if (v === undefined || v === null) return everything();
  try {
    return labelSelectorFromMeta(v as LabelSelector);
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

function clientConfig(v: unknown): WebhookClientConfig {
  const cc = asObj(v) ?? {};
  const out: WebhookClientConfig = {};
  if (typeof cc['url'] === 'string') out.url = cc['url'];
  const service = asObj(cc['service']);
  if (service) {
    out.service = { namespace: str(service['namespace']), name: str(service['name']), port: num(service['port']) ?? 443 };
    if (typeof service['path'] === 'string') out.service.path = service['path'];
  }
  if (typeof cc['caBundle'] === 'string' && cc['caBundle']) out.caBundle = Buffer.from(cc['caBundle'], 'base64').toString('utf8');
  return out;
}

/** The webhooks of one configuration object (defaults applied where the stored object lacks them). */
export function webhooksOf(config: KubeObject): Webhook[] {
  const configurationName = config.metadata.name ?? '';
  return objs(config['webhooks']).map((hook: Obj, index): Webhook => {
    const name = str(hook['name']);
    return {
      uid: `${configurationName}/${name}/${index}`,
      configurationName,
      name,
      rules: objs(hook['rules']),
      failurePolicy: hook['failurePolicy'] === 'Ignore' ? 'Ignore' : 'Fail',
      matchPolicy: hook['matchPolicy'] === 'Exact' ? 'Exact' : 'Equivalent',
      sideEffects: str(hook['sideEffects']),
      timeoutSeconds: num(hook['timeoutSeconds']) ?? 10,
      admissionReviewVersions: arr(hook['admissionReviewVersions']).map(str),
      reinvocationPolicy: hook['reinvocationPolicy'] === 'IfNeeded' ? 'IfNeeded' : 'Never',
      namespaceSelector: selector(hook['namespaceSelector']),
      objectSelector: selector(hook['objectSelector']),
      matchConditions: objs(hook['matchConditions']).map(
        (c): MatchCondition => ({ name: str(c['name']), expression: str(c['expression']) }),
      ),
      clientConfig: clientConfig(hook['clientConfig']),
    };
  });
}

/** Keeps the parsed webhooks of each configuration until its resourceVersion changes. */
export class WebhookSource {
  readonly #configurations: () => readonly KubeObject[];
  #parsed = new Map<string, { resourceVersion: string; webhooks: Webhook[] }>();

  /** `configurations` lists the current configuration objects (a watch cache's). */
  constructor(options: { configurations: () => readonly KubeObject[] }) {
    this.#configurations = options.configurations;
  }

  webhooks(): Webhook[] {
    const configs = [...this.#configurations()].sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
    const next = new Map<string, { resourceVersion: string; webhooks: Webhook[] }>();
    const out: Webhook[] = [];
    for (const config of configs) {
      const name = config.metadata.name ?? '';
      const resourceVersion = config.metadata.resourceVersion ?? '';
      const cached = this.#parsed.get(name);
      const entry = cached && cached.resourceVersion === resourceVersion ? cached : { resourceVersion, webhooks: webhooksOf(config) };
      next.set(name, entry);
      out.push(...entry.webhooks);
    }
    this.#parsed = next;
    return out;
  }
}
