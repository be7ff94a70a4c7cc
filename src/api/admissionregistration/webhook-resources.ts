/** admissionregistration.k8s.io/v1 webhook configuration resources. */
import { defineResource } from '../define.js';
import type { ResourceType } from '../resource.js';
import {
  mutatingWebhookConfigurationStrategy,
  validatingWebhookConfigurationStrategy,
  webhookConfigurationPrinter,
} from './webhook-configuration.js';

export const webhookConfigurationResources: ResourceType[] = [
  defineResource({
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    kind: 'MutatingWebhookConfiguration',
    plural: 'mutatingwebhookconfigurations',
    namespaced: false,
    categories: ['api-extensions'],
    strategy: mutatingWebhookConfigurationStrategy,
    printer: webhookConfigurationPrinter,
  }),
  defineResource({
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    kind: 'ValidatingWebhookConfiguration',
    plural: 'validatingwebhookconfigurations',
    namespaced: false,
    categories: ['api-extensions'],
    strategy: validatingWebhookConfigurationStrategy,
    printer: webhookConfigurationPrinter,
  }),
];
