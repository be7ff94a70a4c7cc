/** Resources of the smaller groups, one or two kinds each (each group declares its own list). */
import type { ResourceType } from './resource.js';
import { webhookConfigurationResources } from './admissionregistration/webhook-resources.js';
import { apiextensionsResources } from './apiextensions/resources.js';
import { certificatesResources } from './certificates/resources.js';
import { coordinationResources } from './coordination/resources.js';
import { discoveryResources } from './discovery/resources.js';
import { eventsResources } from './events/resources.js';
import { flowcontrolResources } from './flowcontrol/resources.js';
import { policyResources } from './policy/resources.js';
import { validatingAdmissionPolicyResources } from './admissionregistration/policy-resources.js';
import { schedulingResources } from './scheduling/resources.js';
import { storageResources } from './storage/resources.js';

export const smallGroupResources: ResourceType[] = [
  ...coordinationResources,
  ...discoveryResources,
  ...storageResources,
  ...policyResources,
  ...validatingAdmissionPolicyResources,
  ...schedulingResources,
  ...certificatesResources,
  ...eventsResources,
  ...webhookConfigurationResources,
  ...apiextensionsResources,
  ...flowcontrolResources,
];
