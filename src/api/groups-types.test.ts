/**
 * Checks the type declarations of the non-core API groups (apps, batch, networking, rbac,
 * apiextensions, autoscaling, policy, scheduling, coordination, discovery, storage, certificates,
 * events, authorization, authentication): every reference resolves, protobuf numbers are unique,
 * patch/apply markers are consistent, and a set of facts matches upstream's generated.proto.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import './meta/types.js';
import * as apps from './apps/types.js';
import * as batch from './batch/types.js';
import * as networking from './networking/types.js';
import * as rbac from './rbac/types.js';
import * as apiextensions from './apiextensions/types.js';
import * as autoscaling from './autoscaling/types.js';
import * as policy from './policy/types.js';
import * as scheduling from './scheduling/types.js';
import * as coordination from './coordination/types.js';
import * as discovery from './discovery/types.js';
import * as storage from './storage/types.js';
import * as certificates from './certificates/types.js';
import * as events from './events/types.js';
import * as authorization from './authorization/types.js';
import { protoEmbeddings } from './core/types/pod-embedding.js';
import { allTypes, lookupType, typeForKind } from '../machinery/schema/dsl.js';
import type { FieldDef, FieldType, TypeDef } from '../machinery/schema/dsl.js';
import { refsOf, fieldOf } from '../machinery/schema/testing/lookups.js';

/** core/v1 types these groups refer to, declared by the core/v1 type files. */
const CORE_DECLARED_ELSEWHERE = [
  'io.k8s.api.core.v1.PodTemplateSpec',
  'io.k8s.api.core.v1.PersistentVolumeClaim',
  'io.k8s.api.core.v1.ObjectReference',
  'io.k8s.api.core.v1.TypedLocalObjectReference',
  'io.k8s.api.core.v1.EventSource',
];

const GROUP_PREFIXES = [
  'io.k8s.api.apps.v1.',
  'io.k8s.api.batch.v1.',
  'io.k8s.api.networking.v1.',
  'io.k8s.api.rbac.v1.',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.',
  'io.k8s.api.autoscaling.v1.',
  'io.k8s.api.autoscaling.v2.',
  'io.k8s.api.policy.v1.',
  'io.k8s.api.scheduling.v1.',
  'io.k8s.api.coordination.v1.',
  'io.k8s.api.discovery.v1.',
  'io.k8s.api.storage.v1.',
  'io.k8s.api.certificates.v1.',
  'io.k8s.api.events.v1.',
  'io.k8s.api.authorization.v1.',
  'io.k8s.api.authentication.v1.',
];
/** Declared in these groups' files although their names live in core/v1 or meta/v1. */
const BORROWED = [
  'io.k8s.api.core.v1.TopologySelectorTerm',
  'io.k8s.api.core.v1.TopologySelectorLabelRequirement',
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldSelectorRequirement',
];
/** Declared by other files in these groups' name spaces (autoscaling/v1 Scale, policy/v1 Eviction, TokenRequest). */
const OTHERS = /^io\.k8s\.api\.(autoscaling\.v1\.Scale|policy\.v1\.Eviction|authentication\.v1\.(TokenRequest|BoundObjectReference))/;

function ours(): TypeDef[] {
  return [...allTypes()].filter(
    (t) => (GROUP_PREFIXES.some((p) => t.name.startsWith(p)) && !OTHERS.test(t.name)) || BORROWED.includes(t.name),
  );
}

describe('group type declarations', () => {
  const types = ours();

  it('declares the types of every group', () => {
    assert.ok(types.length > 150, `got ${types.length} types`);
    for (const prefix of GROUP_PREFIXES) {
      assert.ok(
        types.some((t) => t.name.startsWith(prefix)),
        `some type under ${prefix}`,
      );
    }
    for (const name of BORROWED) assert.ok(lookupType(name), name);
  });

  it('resolves every reference (core/v1 types from the allowlist)', () => {
    const missing: string[] = [];
    for (const def of types) {
      for (const [name, f] of Object.entries(def.fields)) {
        for (const r of refsOf(f.type)) {
          if (!lookupType(r) && !CORE_DECLARED_ELSEWHERE.includes(r)) missing.push(`${def.name}.${name} -> ${r}`);
        }
      }
    }
    assert.deepEqual(missing, []);
  });

  it('gives every field a protobuf number, unique within its type', () => {
    const problems: string[] = [];
    for (const def of types) {
      const embeddedAt = new Map(protoEmbeddings(def.name).map((e) => [e.proto, e] as const));
      const embeddedFields = new Set(protoEmbeddings(def.name).flatMap((e) => e.fields));
      const seen = new Map<number, string>();
      for (const [name, f] of Object.entries(def.fields)) {
        if (f.proto === undefined) {
          if (!embeddedFields.has(name)) problems.push(`${def.name}.${name}: no proto number`);
          continue;
        }
        const other = seen.get(f.proto) ?? (embeddedAt.has(f.proto) ? 'an embedded message' : undefined);
        if (other) problems.push(`${def.name}.${name}: proto ${f.proto} also used by ${other}`);
        seen.set(f.proto, name);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('keeps patch and apply markers consistent', () => {
    const problems: string[] = [];
    for (const def of types) {
      for (const [name, f] of Object.entries(def.fields)) {
        const where = `${def.name}.${name}`;
        const isList = 'list' in f.type;
        if (f.patchMergeKey && !f.patchStrategy) problems.push(`${where}: patchMergeKey without patchStrategy`);
        if (f.patchMergeKey && !isList) problems.push(`${where}: patchMergeKey on a non-list`);
        // +listType=atomic also marks []byte fields upstream.
        const isBytes = 'scalar' in f.type && f.type.scalar === 'bytes';
        if (f.listType && !isList && !isBytes) problems.push(`${where}: listType on a non-list`);
        if (f.listType === 'map' && !f.listMapKeys?.length) problems.push(`${where}: listType=map without keys`);
        if (f.listMapKeys && f.listType !== 'map') problems.push(`${where}: listMapKeys without listType=map`);
        if (f.listType === 'map' && 'list' in f.type && 'ref' in f.type.list) {
          const item = lookupType(f.type.list.ref);
          for (const key of f.listMapKeys ?? []) {
            if (item && !item.fields[key]) problems.push(`${where}: map key ${key} is not a field of the item`);
          }
        }
        if (f.patchStrategy === 'merge' && f.patchMergeKey && f.listType === 'map' && !f.listMapKeys?.includes(f.patchMergeKey)) {
          problems.push(`${where}: merge key ${f.patchMergeKey} not among the list map keys`);
        }
      }
      for (const r of def.required ?? []) {
        if (!def.fields[r]) problems.push(`${def.name}: required ${r} is not a field`);
      }
      if (!def.description) problems.push(`${def.name}: no description`);
    }
    assert.deepEqual(problems, []);
  });

  it('exports name constants that name declared types', () => {
    const modules = {
      apps,
      batch,
      networking,
      rbac,
      apiextensions,
      autoscaling,
      policy,
      scheduling,
      coordination,
      discovery,
      storage,
      certificates,
      events,
      authorization,
    };
    for (const [group, mod] of Object.entries(modules)) {
      for (const [constant, value] of Object.entries(mod)) {
        if (typeof value !== 'string' || !value.includes('.', value.lastIndexOf('.v') + 2)) continue;
        assert.ok(lookupType(value), `${group}.${constant} = ${value} is declared`);
      }
    }
  });

  const kinds: [string, string, string, string][] = [
    ['apps', 'v1', 'Deployment', apps.DEPLOYMENT],
    ['apps', 'v1', 'ReplicaSet', apps.REPLICA_SET],
    ['apps', 'v1', 'StatefulSet', apps.STATEFUL_SET],
    ['apps', 'v1', 'DaemonSet', apps.DAEMON_SET],
    ['apps', 'v1', 'ControllerRevision', apps.CONTROLLER_REVISION],
    ['apps', 'v1', 'DeploymentList', apps.DEPLOYMENT_LIST],
    ['batch', 'v1', 'Job', batch.JOB],
    ['batch', 'v1', 'CronJob', batch.CRON_JOB],
    ['networking.k8s.io', 'v1', 'Ingress', networking.INGRESS],
    ['networking.k8s.io', 'v1', 'IngressClass', networking.INGRESS_CLASS],
    ['networking.k8s.io', 'v1', 'NetworkPolicy', networking.NETWORK_POLICY],
    ['rbac.authorization.k8s.io', 'v1', 'Role', rbac.ROLE],
    ['rbac.authorization.k8s.io', 'v1', 'ClusterRole', rbac.CLUSTER_ROLE],
    ['rbac.authorization.k8s.io', 'v1', 'RoleBinding', rbac.ROLE_BINDING],
    ['rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', rbac.CLUSTER_ROLE_BINDING],
    ['apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', apiextensions.CUSTOM_RESOURCE_DEFINITION],
    ['autoscaling', 'v1', 'HorizontalPodAutoscaler', autoscaling.HORIZONTAL_POD_AUTOSCALER_V1],
    ['autoscaling', 'v2', 'HorizontalPodAutoscaler', autoscaling.HORIZONTAL_POD_AUTOSCALER_V2],
    ['policy', 'v1', 'PodDisruptionBudget', policy.POD_DISRUPTION_BUDGET],
    ['scheduling.k8s.io', 'v1', 'PriorityClass', scheduling.PRIORITY_CLASS],
    ['coordination.k8s.io', 'v1', 'Lease', coordination.LEASE],
    ['discovery.k8s.io', 'v1', 'EndpointSlice', discovery.ENDPOINT_SLICE],
    ['storage.k8s.io', 'v1', 'StorageClass', storage.STORAGE_CLASS],
    ['certificates.k8s.io', 'v1', 'CertificateSigningRequest', certificates.CERTIFICATE_SIGNING_REQUEST],
    ['events.k8s.io', 'v1', 'Event', events.EVENT],
    ['authorization.k8s.io', 'v1', 'SelfSubjectAccessReview', authorization.SELF_SUBJECT_ACCESS_REVIEW],
    ['authorization.k8s.io', 'v1', 'SubjectAccessReview', authorization.SUBJECT_ACCESS_REVIEW],
    ['authorization.k8s.io', 'v1', 'LocalSubjectAccessReview', authorization.LOCAL_SUBJECT_ACCESS_REVIEW],
    ['authorization.k8s.io', 'v1', 'SelfSubjectRulesReview', authorization.SELF_SUBJECT_RULES_REVIEW],
    ['authentication.k8s.io', 'v1', 'SelfSubjectReview', authorization.SELF_SUBJECT_REVIEW],
    ['authentication.k8s.io', 'v1', 'TokenReview', authorization.TOKEN_REVIEW],
  ];
  for (const [group, version, kind, name] of kinds) {
    it(`finds ${group}/${version} ${kind} by its kind`, () => {
      assert.equal(typeForKind(group, version, kind)?.name, name);
    });
  }
});

const ref = (name: string): FieldType => ({ ref: name });
const scalar = (s: string): FieldType => ({ scalar: s }) as FieldType;
const listOf = (t: FieldType): FieldType => ({ list: t });
const mapOf = (t: FieldType): FieldType => ({ map: t });
const CORE = 'io.k8s.api.core.v1';

/** [type, field, expected subset of the field definition] — from upstream's generated.proto and types.go. */
const facts: [string, string, Partial<FieldDef>][] = [
  [`${apps.APPS_V1}.DeploymentSpec`, 'template', { proto: 3, type: ref(`${CORE}.PodTemplateSpec`) }],
  [`${apps.APPS_V1}.DeploymentSpec`, 'strategy', { proto: 4, patchStrategy: 'retainKeys' }],
  [`${apps.APPS_V1}.DeploymentSpec`, 'progressDeadlineSeconds', { proto: 9, type: scalar('int32') }],
  [
    `${apps.APPS_V1}.DeploymentStatus`,
    'conditions',
    { proto: 6, patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
  ],
  [`${apps.APPS_V1}.RollingUpdateDeployment`, 'maxSurge', { proto: 2, type: scalar('intOrString') }],
  [`${apps.APPS_V1}.StatefulSetSpec`, 'volumeClaimTemplates', { proto: 4, type: listOf(ref(`${CORE}.PersistentVolumeClaim`)) }],
  [`${apps.APPS_V1}.StatefulSetSpec`, 'ordinals', { proto: 11, type: ref(`${apps.APPS_V1}.StatefulSetOrdinals`) }],
  [`${apps.APPS_V1}.DaemonSetSpec`, 'revisionHistoryLimit', { proto: 6 }],
  [`${apps.APPS_V1}.ControllerRevision`, 'data', { proto: 2, type: scalar('rawExtension') }],
  [`${batch.BATCH_V1}.JobSpec`, 'template', { proto: 6, type: ref(`${CORE}.PodTemplateSpec`) }],
  [`${batch.BATCH_V1}.JobSpec`, 'podFailurePolicy', { proto: 11 }],
  [`${batch.BATCH_V1}.JobSpec`, 'successPolicy', { proto: 16 }],
  [`${batch.BATCH_V1}.JobSpec`, 'managedBy', { proto: 15, type: scalar('string') }],
  [`${batch.BATCH_V1}.JobStatus`, 'conditions', { proto: 1, patchStrategy: 'merge', patchMergeKey: 'type', listType: 'atomic' }],
  [`${batch.BATCH_V1}.UncountedTerminatedPods`, 'failed', { proto: 2, listType: 'set' }],
  [`${batch.BATCH_V1}.CronJobSpec`, 'jobTemplate', { proto: 5, type: ref(`${batch.BATCH_V1}.JobTemplateSpec`) }],
  [`${batch.BATCH_V1}.CronJobSpec`, 'timeZone', { proto: 8 }],
  [`${batch.BATCH_V1}.CronJobStatus`, 'active', { proto: 1, type: listOf(ref(`${CORE}.ObjectReference`)), listType: 'atomic' }],
  [`${networking.NETWORKING_V1}.IngressSpec`, 'ingressClassName', { proto: 4 }],
  [`${networking.NETWORKING_V1}.IngressBackend`, 'service', { proto: 4 }],
  [`${networking.NETWORKING_V1}.IngressBackend`, 'resource', { proto: 3, type: ref(`${CORE}.TypedLocalObjectReference`) }],
  [`${networking.NETWORKING_V1}.HTTPIngressPath`, 'pathType', { proto: 3 }],
  [`${networking.NETWORKING_V1}.HTTPIngressPath`, 'backend', { proto: 2 }],
  [`${networking.NETWORKING_V1}.IngressRuleValue`, 'http', { proto: 1 }],
  [`${networking.NETWORKING_V1}.NetworkPolicyPort`, 'port', { proto: 2, type: scalar('intOrString') }],
  [`${networking.NETWORKING_V1}.NetworkPolicyPort`, 'endPort', { proto: 3, type: scalar('int32') }],
  [rbac.POLICY_RULE, 'verbs', { proto: 1, type: listOf(scalar('string')), listType: 'atomic' }],
  [rbac.POLICY_RULE, 'nonResourceURLs', { proto: 5 }],
  [rbac.ROLE_REF, 'apiGroup', { proto: 1 }],
  [rbac.ROLE_REF, 'kind', { proto: 2 }],
  [rbac.ROLE_REF, 'name', { proto: 3 }],
  [rbac.SUBJECT, 'namespace', { proto: 4 }],
  [rbac.ROLE_BINDING, 'roleRef', { proto: 3, type: ref(rbac.ROLE_REF) }],
  [rbac.CLUSTER_ROLE, 'aggregationRule', { proto: 3, type: ref(rbac.AGGREGATION_RULE) }],
  [`${coordination.COORDINATION_V1}.LeaseSpec`, 'renewTime', { proto: 4, type: scalar('microtime') }],
  [`${coordination.COORDINATION_V1}.LeaseSpec`, 'acquireTime', { proto: 3, type: scalar('microtime') }],
  [`${coordination.COORDINATION_V1}.LeaseSpec`, 'leaseDurationSeconds', { proto: 2, type: scalar('int32') }],
  [scheduling.PRIORITY_CLASS, 'value', { proto: 2, type: scalar('int32') }],
  [`${policy.POLICY_V1}.PodDisruptionBudgetSpec`, 'selector', { proto: 2, patchStrategy: 'replace' }],
  [`${policy.POLICY_V1}.PodDisruptionBudgetSpec`, 'minAvailable', { proto: 1, type: scalar('intOrString') }],
  [`${policy.POLICY_V1}.PodDisruptionBudgetStatus`, 'disruptedPods', { proto: 2, type: mapOf(scalar('time')) }],
  [discovery.ENDPOINT_SLICE, 'addressType', { proto: 4 }],
  [`${discovery.DISCOVERY_V1}.Endpoint`, 'addresses', { proto: 1, listType: 'set' }],
  [storage.STORAGE_CLASS, 'allowedTopologies', { proto: 8, type: listOf(ref(storage.TOPOLOGY_SELECTOR_TERM)) }],
  [`${certificates.CERTIFICATES_V1}.CertificateSigningRequestSpec`, 'signerName', { proto: 7 }],
  [`${certificates.CERTIFICATES_V1}.CertificateSigningRequestSpec`, 'request', { proto: 1, type: scalar('bytes') }],
  [`${certificates.CERTIFICATES_V1}.CertificateSigningRequestSpec`, 'extra', { proto: 6, type: mapOf(listOf(scalar('string'))) }],
  [events.EVENT, 'eventTime', { proto: 2, type: scalar('microtime') }],
  [events.EVENT, 'regarding', { proto: 8, type: ref(`${CORE}.ObjectReference`) }],
  [events.EVENT, 'deprecatedSource', { proto: 12, type: ref(`${CORE}.EventSource`) }],
  [`${authorization.AUTHORIZATION_V1}.SelfSubjectAccessReviewSpec`, 'resourceAttributes', { proto: 1 }],
  [`${authorization.AUTHORIZATION_V1}.ResourceAttributes`, 'fieldSelector', { proto: 8 }],
  [`${authorization.AUTHORIZATION_V1}.ResourceAttributes`, 'labelSelector', { proto: 9 }],
  [`${authorization.AUTHORIZATION_V1}.SubjectAccessReviewSpec`, 'extra', { proto: 5, type: mapOf(listOf(scalar('string'))) }],
  [`${authorization.AUTHORIZATION_V1}.SubjectAccessReviewStatus`, 'denied', { proto: 4, type: scalar('boolean') }],
  [`${authorization.AUTHENTICATION_V1}.TokenReviewStatus`, 'audiences', { proto: 4 }],
  [`${autoscaling.AUTOSCALING_V2}.MetricSpec`, 'containerResource', { proto: 7 }],
  [`${autoscaling.AUTOSCALING_V2}.HPAScalingRules`, 'stabilizationWindowSeconds', { proto: 3, type: scalar('int32') }],
  [`${autoscaling.AUTOSCALING_V2}.MetricTarget`, 'averageValue', { proto: 3, type: scalar('quantity') }],
  [`${autoscaling.AUTOSCALING_V1}.HorizontalPodAutoscalerSpec`, 'targetCPUUtilizationPercentage', { proto: 4 }],
  [apiextensions.JSON_SCHEMA_PROPS, 'properties', { proto: 29, type: mapOf(ref(apiextensions.JSON_SCHEMA_PROPS)) }],
  [apiextensions.JSON_SCHEMA_PROPS, '$ref', { proto: 3 }],
  [apiextensions.JSON_SCHEMA_PROPS, 'default', { proto: 8, type: scalar('json') }],
  [apiextensions.JSON_SCHEMA_PROPS, 'enum', { proto: 20, type: listOf(scalar('json')) }],
  [apiextensions.JSON_SCHEMA_PROPS, 'items', { proto: 24, type: scalar('json') }],
  [apiextensions.JSON_SCHEMA_PROPS, 'x-kubernetes-preserve-unknown-fields', { proto: 38, type: scalar('boolean') }],
  [
    apiextensions.JSON_SCHEMA_PROPS,
    'x-kubernetes-validations',
    { proto: 44, patchStrategy: 'merge', patchMergeKey: 'rule', listType: 'map', listMapKeys: ['rule'] },
  ],
  [`${apiextensions.APIEXTENSIONS_V1}.CustomResourceDefinitionSpec`, 'versions', { proto: 7, listType: 'atomic' }],
  [`${apiextensions.APIEXTENSIONS_V1}.CustomResourceDefinitionVersion`, 'selectableFields', { proto: 9 }],
  [`${apiextensions.APIEXTENSIONS_V1}.WebhookClientConfig`, 'url', { proto: 3 }],
];

describe('facts from upstream', () => {
  for (const [typeName, fieldName, want] of facts) {
    it(`${typeName.slice(typeName.lastIndexOf('.') + 1)}.${fieldName}`, () => {
      const got = fieldOf(typeName, fieldName);
      const picked = Object.fromEntries(Object.keys(want).map((k) => [k, got[k as keyof FieldDef]]));
      assert.deepEqual(picked, want);
    });
  }

  const required: [string, string[]][] = [
    [`${apps.APPS_V1}.DeploymentSpec`, ['selector', 'template']],
    [rbac.ROLE_REF, ['apiGroup', 'kind', 'name']],
    [rbac.POLICY_RULE, ['verbs']],
    [`${batch.BATCH_V1}.CronJobSpec`, ['schedule', 'jobTemplate']],
    [`${networking.NETWORKING_V1}.HTTPIngressPath`, ['pathType', 'backend']],
    [apiextensions.CUSTOM_RESOURCE_DEFINITION, ['spec']],
  ];
  for (const [typeName, want] of required) {
    it(`${typeName.slice(typeName.lastIndexOf('.') + 1)} requires ${want.join(', ')}`, () => {
      assert.deepEqual(lookupType(typeName)?.required, want);
    });
  }

  it('marks RoleRef, Subject and ServiceBackendPort atomic', () => {
    for (const name of [rbac.ROLE_REF, rbac.SUBJECT, `${networking.NETWORKING_V1}.ServiceBackendPort`]) {
      assert.equal(lookupType(name)?.atomic, true, name);
    }
  });

  it('inlines IngressRuleValue into IngressRule (JSON), keeping it at proto 2', () => {
    const rule = fieldOf(networking.INGRESS_RULE, 'http');
    assert.equal(rule.proto, undefined);
    assert.deepEqual(rule.type, ref(`${networking.NETWORKING_V1}.HTTPIngressRuleValue`));
    assert.deepEqual(protoEmbeddings(networking.INGRESS_RULE), [{ proto: 2, type: networking.INGRESS_RULE_VALUE, fields: ['http'] }]);
    assert.equal(fieldOf(networking.INGRESS_RULE, 'host').proto, 1);
  });
});
