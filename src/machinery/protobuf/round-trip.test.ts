/**
 * encodeProtobufObject → decodeProtobufObject gives back the same JSON, for every kind kubectl
 * sends as protobuf and for the kinds that exercise the codec's special cases.
 */
import { describe, it } from 'node:test';
import '../../api/all-types.js';
import assert from 'node:assert/strict';
import { decodeProtobufObject, encodeProtobufObject } from './index.js';

const meta = (name: string, namespace?: string): Record<string, unknown> => ({
  name,
  ...(namespace ? { namespace } : {}),
  labels: { app: name },
  annotations: { note: 'x' },
  creationTimestamp: null,
});

const podTemplate = {
  metadata: { creationTimestamp: null, labels: { app: 'web' } },
  spec: {
    containers: [
      {
        name: 'c',
        image: 'nginx',
        command: ['sleep', '10'],
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        resources: { limits: { cpu: '500m', memory: '128Mi' } },
        readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 },
        livenessProbe: { exec: { command: ['true'] } },
        env: [
          { name: 'A', value: 'b' },
          { name: 'FROM_CM', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k', optional: false } } },
        ],
        envFrom: [{ secretRef: { name: 's' } }],
        volumeMounts: [{ name: 'v', mountPath: '/v', readOnly: true }],
        securityContext: { runAsUser: 0, runAsNonRoot: false, allowPrivilegeEscalation: false },
      },
    ],
    volumes: [
      { name: 'v', configMap: { name: 'cm', defaultMode: 420, items: [{ key: 'a', path: 'a' }] } },
      { name: 'e', emptyDir: { sizeLimit: '1Gi' } },
    ],
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 0,
    automountServiceAccountToken: false,
  },
};

/** Kinds kubectl 1.32+ sends as protobuf, plus the codec's special cases. */
const CASES: readonly { readonly name: string; readonly obj: Record<string, unknown> }[] = [
  {
    name: 'ConfigMap',
    obj: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta('x', 'default'),
      data: { a: 'b', empty: '' },
      binaryData: { bin: 'AAEC/w==' },
      immutable: false,
    },
  },
  {
    name: 'Secret',
    obj: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta('s', 'default'),
      type: 'Opaque',
      data: { k: 'dg==', empty: '' },
      stringData: { p: 'q' },
    },
  },
  {
    name: 'Deployment',
    obj: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('d', 'default'),
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] },
        template: podTemplate,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
        revisionHistoryLimit: 10,
      },
      status: {},
    },
  },
  {
    name: 'Namespace',
    obj: { apiVersion: 'v1', kind: 'Namespace', metadata: meta('n'), spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } },
  },
  {
    name: 'Service',
    obj: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('s', 'default'),
      spec: {
        type: 'NodePort',
        ports: [
          { name: 'http', protocol: 'TCP', port: 80, targetPort: 8080, nodePort: 30080 },
          { name: 'h2', port: 81, targetPort: 'http' },
        ],
        selector: { app: 's' },
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } },
      },
      status: { loadBalancer: {} },
    },
  },
  {
    name: 'Job',
    obj: {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: meta('j', 'default'),
      spec: {
        parallelism: 0,
        backoffLimit: 6,
        suspend: false,
        template: { ...podTemplate, spec: { ...podTemplate.spec, restartPolicy: 'Never' } },
      },
      status: { startTime: '2024-01-01T00:00:00Z', active: 1 },
    },
  },
  {
    name: 'CronJob',
    obj: {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: meta('c', 'default'),
      spec: {
        schedule: '*/1 * * * *',
        timeZone: 'Etc/UTC',
        jobTemplate: { metadata: { creationTimestamp: null }, spec: { template: podTemplate } },
      },
      status: { lastScheduleTime: '2024-05-06T07:08:09Z' },
    },
  },
  {
    name: 'Role',
    obj: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta('r', 'default'),
      rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['a'] }],
    },
  },
  {
    name: 'RoleBinding',
    obj: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta('rb', 'default'),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
      subjects: [
        { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'u' },
        { kind: 'ServiceAccount', name: 'sa', namespace: 'default' },
      ],
    },
  },
  {
    name: 'ClusterRole',
    obj: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: meta('cr'),
      rules: [{ verbs: ['get'], nonResourceURLs: ['/logs/*'] }],
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'b' } }] },
    },
  },
  {
    name: 'ClusterRoleBinding',
    obj: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: meta('crb'),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cr' },
      subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'g' }],
    },
  },
  {
    name: 'ResourceQuota',
    obj: {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: meta('q', 'default'),
      spec: { hard: { pods: '2', cpu: '1500m', memory: '1Gi' }, scopes: ['BestEffort'] },
      status: { used: { pods: '0' } },
    },
  },
  {
    name: 'PriorityClass',
    obj: {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: meta('p'),
      value: -5,
      globalDefault: true,
      description: 'd',
      preemptionPolicy: 'Never',
    },
  },
  {
    name: 'PodDisruptionBudget',
    obj: {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: meta('pdb', 'default'),
      spec: { minAvailable: 1, selector: { matchLabels: { app: 'x' } } },
      status: { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 },
    },
  },
  {
    name: 'Ingress',
    obj: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: meta('i', 'default'),
      spec: {
        ingressClassName: 'nginx',
        defaultBackend: { service: { name: 'svc0', port: { name: 'http' } } },
        rules: [
          {
            host: 'foo.com',
            http: { paths: [{ path: '/bar', pathType: 'Exact', backend: { service: { name: 'svc1', port: { number: 8080 } } } }] },
          },
          { http: { paths: [{ path: '/', pathType: 'Prefix', backend: { resource: { apiGroup: 'x.io', kind: 'Bucket', name: 'b' } } }] } },
        ],
        tls: [{ hosts: ['foo.com'], secretName: 'cert' }],
      },
      status: { loadBalancer: {} },
    },
  },
  {
    name: 'TokenRequest',
    obj: {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      metadata: meta('sa1', 'default'),
      spec: { audiences: ['api'], expirationSeconds: 3600, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: 'u' } },
      status: { token: 'abc', expirationTimestamp: '2030-01-01T00:00:00Z' },
    },
  },
  {
    name: 'SelfSubjectAccessReview',
    obj: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      metadata: { creationTimestamp: null },
      spec: { resourceAttributes: { namespace: 'default', verb: 'get', resource: 'pods' } },
      status: { allowed: true, reason: 'rbac' },
    },
  },
  {
    name: 'SelfSubjectRulesReview',
    obj: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectRulesReview',
      metadata: { creationTimestamp: null },
      spec: { namespace: 'default' },
      status: {
        resourceRules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }],
        nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/api'] }],
        incomplete: false,
      },
    },
  },
  // ExtraValue: map[string]ExtraValue travels as {items=1} messages.
  {
    name: 'SubjectAccessReview (extra)',
    obj: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      metadata: { creationTimestamp: null },
      spec: {
        user: 'u',
        groups: ['g'],
        extra: { scopes: ['a', 'b'], empty: [] },
        uid: '1',
        nonResourceAttributes: { path: '/x', verb: 'get' },
      },
      status: { allowed: false },
    },
  },
  {
    name: 'CertificateSigningRequest (bytes, extra)',
    obj: {
      apiVersion: 'certificates.k8s.io/v1',
      kind: 'CertificateSigningRequest',
      metadata: meta('csr'),
      spec: {
        request: 'LS0tLS1CRUdJTg==',
        signerName: 'kubernetes.io/kube-apiserver-client',
        expirationSeconds: 600,
        usages: ['client auth'],
        username: 'u',
        extra: { 'example.com/x': ['y'] },
      },
      status: {},
    },
  },
  // Time, MicroTime and metadata with every kind of field.
  {
    name: 'Lease (microtime)',
    obj: {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        ...meta('l', 'kube-node-lease'),
        resourceVersion: '12',
        generation: 3,
        uid: 'u-1',
        deletionTimestamp: '2025-02-03T04:05:06Z',
        deletionGracePeriodSeconds: 0,
        finalizers: ['f'],
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'n', uid: 'u', controller: true, blockOwnerDeletion: false }],
      },
      spec: {
        holderIdentity: 'n',
        leaseDurationSeconds: 40,
        acquireTime: '2024-01-01T00:00:00.000000Z',
        renewTime: '2024-01-01T00:00:01.123456Z',
        leaseTransitions: 0,
      },
    },
  },
  {
    name: 'Event (microtime, time, int32)',
    obj: {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: meta('e', 'default'),
      involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' },
      reason: 'Started',
      message: 'm',
      source: { component: 'kubelet' },
      firstTimestamp: '2024-01-01T00:00:00Z',
      lastTimestamp: null,
      count: 2,
      type: 'Normal',
      eventTime: '2024-01-01T00:00:00.500000Z',
      reportingComponent: 'kubelet',
      reportingInstance: 'n',
    },
  },
  // Embedded structs: PersistentVolumeSource inside PersistentVolumeSpec.
  {
    name: 'PersistentVolume (embedded source)',
    obj: {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: meta('pv'),
      spec: {
        capacity: { storage: '1Gi' },
        hostPath: { path: '/data', type: 'DirectoryOrCreate' },
        accessModes: ['ReadWriteOnce'],
        persistentVolumeReclaimPolicy: 'Retain',
        claimRef: { namespace: 'default', name: 'c' },
      },
      status: { phase: 'Bound' },
    },
  },
  // apiextensions: JSON values and the JSONSchemaPropsOr* unions.
  {
    name: 'CustomResourceDefinition (schema unions)',
    obj: {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: meta('widgets.example.com'),
      spec: {
        group: 'example.com',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList', shortNames: ['wd'] },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: {
                    type: 'object',
                    default: { size: 1 },
                    properties: {
                      size: { type: 'integer', minimum: 0, maximum: 10.5, enum: [1, 2, 'x', null] },
                      tags: { type: 'array', items: { type: 'string' } },
                      tuple: { type: 'array', items: [{ type: 'string' }, { type: 'integer' }] },
                      labels: { type: 'object', additionalProperties: { type: 'string' } },
                      closed: { type: 'object', additionalProperties: false },
                      open: { type: 'object', additionalProperties: true },
                    },
                    dependencies: { a: ['b', 'c'], d: { required: ['e'] } },
                    'x-kubernetes-preserve-unknown-fields': true,
                    'x-kubernetes-validations': [{ rule: 'self.size < 5', message: 'too big' }],
                  },
                },
              },
            },
            subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
            additionalPrinterColumns: [{ name: 'Size', type: 'integer', jsonPath: '.spec.size' }],
          },
        ],
      },
      status: { acceptedNames: { plural: '', kind: '' }, storedVersions: ['v1'] },
    },
  },
];

describe('protobuf round trip', () => {
  for (const { name, obj } of CASES) {
    it(name, () => {
      const buf = encodeProtobufObject(obj);
      assert.deepEqual(buf.subarray(0, 4), Buffer.from('k8s\0', 'latin1'));
      assert.deepEqual(decodeProtobufObject(buf), obj);
    });
  }

  it('drops zero values of non-pointer fields and keeps them for pointers', () => {
    const sent = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', generateName: '', generation: 0, creationTimestamp: null },
      spec: {
        replicas: 0,
        minReadySeconds: 0,
        paused: false,
        progressDeadlineSeconds: 0,
        template: { metadata: { creationTimestamp: null }, spec: { containers: [] } },
      },
    };
    assert.deepEqual(decodeProtobufObject(encodeProtobufObject(sent)), {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', creationTimestamp: null },
      spec: { replicas: 0, progressDeadlineSeconds: 0, template: { metadata: { creationTimestamp: null }, spec: {} } },
    });
  });

  it('takes the definition from typeName when given', () => {
    const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'b' } };
    const buf = encodeProtobufObject(obj, 'io.k8s.api.core.v1.ConfigMap');
    assert.deepEqual(decodeProtobufObject(buf), obj);
    assert.throws(() => encodeProtobufObject({ apiVersion: 'v9', kind: 'Nope' }), TypeError);
  });
});
