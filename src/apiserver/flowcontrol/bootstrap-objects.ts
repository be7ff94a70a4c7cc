/**
 * The mandatory and suggested FlowSchemas and PriorityLevelConfigurations of API Priority and
 * Fairness, as upstream's apis/flowcontrol/bootstrap (flowcontrol/v1): `exempt` and `catch-all`
 * are mandatory; the rest (system, node-high, leader-election, workload-high, workload-low,
 * global-default and their schemas) are suggested. Every object carries
 * `apf.kubernetes.io/autoupdate-spec: "true"`.
 */
import type { KubeObject } from '../../machinery/object.js';

export const AUTOUPDATE_SPEC_ANNOTATION = 'apf.kubernetes.io/autoupdate-spec';
const API_VERSION = 'flowcontrol.apiserver.k8s.io/v1';

export interface Subject {
  kind: 'User' | 'Group' | 'ServiceAccount';
  user?: { name: string };
  group?: { name: string };
  serviceAccount?: { namespace: string; name: string };
}

export interface ResourcePolicyRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  clusterScope?: boolean;
  namespaces?: string[];
}

export interface NonResourcePolicyRule {
  verbs: string[];
  nonResourceURLs: string[];
}

export interface PolicyRulesWithSubjects {
  subjects: Subject[];
  resourceRules?: ResourcePolicyRule[];
  nonResourceRules?: NonResourcePolicyRule[];
}

const group = (name: string): Subject => ({ kind: 'Group', group: { name } });
const user = (name: string): Subject => ({ kind: 'User', user: { name } });
const kubeSystemServiceAccount = (name: string): Subject => ({
  kind: 'ServiceAccount',
  serviceAccount: { namespace: 'kube-system', name },
});

const ALL_RESOURCES: ResourcePolicyRule = { verbs: ['*'], apiGroups: ['*'], resources: ['*'], clusterScope: true, namespaces: ['*'] };
const ALL_NON_RESOURCES: NonResourcePolicyRule = { verbs: ['*'], nonResourceURLs: ['*'] };

function meta(name: string): KubeObject['metadata'] {
  return { name, annotations: { [AUTOUPDATE_SPEC_ANNOTATION]: 'true' } };
}

function priorityLevel(name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: API_VERSION, kind: 'PriorityLevelConfiguration', metadata: meta(name), spec };
}

function queued(shares: number, lendablePercent: number, queues: number, handSize: number): Record<string, unknown> {
  return {
    type: 'Limited',
    limited: {
      nominalConcurrencyShares: shares,
      lendablePercent,
      limitResponse: { type: 'Queue', queuing: { queues, handSize, queueLengthLimit: 50 } },
    },
  };
}

function flowSchema(
  name: string,
  level: string,
  precedence: number,
  method: 'ByUser' | 'ByNamespace' | '',
  ...rules: PolicyRulesWithSubjects[]
): KubeObject {
  return {
    apiVersion: API_VERSION,
    kind: 'FlowSchema',
    metadata: meta(name),
    spec: {
      priorityLevelConfiguration: { name: level },
      matchingPrecedence: precedence,
      ...(method ? { distinguisherMethod: { type: method } } : {}),
      rules,
    },
  };
}

/** A schema matching every request of these subjects. */
function allOf(name: string, level: string, precedence: number, method: 'ByUser' | 'ByNamespace' | '', subjects: Subject[]): KubeObject {
  return flowSchema(name, level, precedence, method, { subjects, resourceRules: [ALL_RESOURCES], nonResourceRules: [ALL_NON_RESOURCES] });
}

const LEASES: ResourcePolicyRule = {
  verbs: ['get', 'create', 'update'],
  apiGroups: ['coordination.k8s.io'],
  resources: ['leases'],
  namespaces: ['*'],
};

export function mandatoryPriorityLevels(): KubeObject[] {
  return [
    priorityLevel('exempt', { type: 'Exempt', exempt: { nominalConcurrencyShares: 0, lendablePercent: 0 } }),
    priorityLevel('catch-all', {
      type: 'Limited',
      limited: { nominalConcurrencyShares: 5, lendablePercent: 0, limitResponse: { type: 'Reject' } },
    }),
  ];
}

export function mandatoryFlowSchemas(): KubeObject[] {
  return [
    allOf('exempt', 'exempt', 1, '', [group('system:masters')]),
    allOf('catch-all', 'catch-all', 10000, 'ByUser', [group('system:unauthenticated'), group('system:authenticated')]),
  ];
}

export function suggestedPriorityLevels(): KubeObject[] {
  return [
    priorityLevel('system', queued(30, 33, 64, 6)),
    priorityLevel('node-high', queued(40, 25, 64, 6)),
    priorityLevel('leader-election', queued(10, 0, 16, 4)),
    priorityLevel('workload-high', queued(40, 50, 128, 6)),
    priorityLevel('workload-low', queued(100, 90, 128, 6)),
    priorityLevel('global-default', queued(20, 50, 128, 6)),
  ];
}

export function suggestedFlowSchemas(): KubeObject[] {
  const controlPlane = [user('system:kube-controller-manager'), user('system:kube-scheduler'), kubeSystemServiceAccount('*')];
  return [
    allOf('system-nodes', 'system', 500, 'ByUser', [group('system:nodes')]),
    flowSchema('system-node-high', 'node-high', 400, 'ByUser', {
      subjects: [group('system:nodes')],
      resourceRules: [
        { verbs: ['*'], apiGroups: [''], resources: ['nodes', 'nodes/status'], clusterScope: true, namespaces: ['*'] },
        { verbs: ['*'], apiGroups: ['coordination.k8s.io'], resources: ['leases'], namespaces: ['*'] },
      ],
    }),
    flowSchema('probes', 'exempt', 2, '', {
      subjects: [group('system:unauthenticated'), group('system:authenticated')],
      nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/readyz', '/livez'] }],
    }),
    flowSchema('system-leader-election', 'leader-election', 100, 'ByUser', { subjects: controlPlane, resourceRules: [LEASES] }),
    flowSchema('workload-leader-election', 'leader-election', 200, 'ByUser', {
      subjects: [kubeSystemServiceAccount('*')],
      resourceRules: [LEASES],
    }),
    flowSchema('endpoint-controller', 'workload-high', 150, 'ByUser', {
      subjects: [
        user('system:kube-controller-manager'),
        kubeSystemServiceAccount('endpoint-controller'),
        kubeSystemServiceAccount('endpointslicemirroring-controller'),
      ],
      resourceRules: [{ verbs: ['get', 'create', 'update'], apiGroups: [''], resources: ['endpoints'], namespaces: ['*'] }],
    }),
    allOf('kube-controller-manager', 'workload-high', 800, 'ByNamespace', [user('system:kube-controller-manager')]),
    allOf('kube-scheduler', 'workload-high', 800, 'ByNamespace', [user('system:kube-scheduler')]),
    allOf('kube-system-service-accounts', 'workload-high', 900, 'ByNamespace', [kubeSystemServiceAccount('*')]),
    allOf('service-accounts', 'workload-low', 9000, 'ByUser', [group('system:serviceaccounts')]),
    allOf('global-default', 'global-default', 9900, 'ByUser', [group('system:unauthenticated'), group('system:authenticated')]),
  ];
}
