/**
 * The controllers' ClusterRoles (upstream bootstrappolicy/controller_policy.go) for the
 * controllers k8ts runs, `system:controller:<name>`, each bound to the kube-system
 * ServiceAccount of that name, which the controller acts as (controllers/client-builder.ts).
 * Every controller may also write events. Two are k8ts' own: service-lb-controller (LoadBalancer
 * addresses from the nodes') and nfs-provisioner (the `k8ts.io/nfs` dynamic provisioner).
 */
import type { KubeObject } from '../../../machinery/object.js';
import { clusterRole, READ, rule } from './policy-builders.js';
import type { PolicyRule } from './rules.js';

const RBAC = 'rbac.authorization.k8s.io';
const EVENTS = rule(['create', 'patch', 'update'], ['', 'events.k8s.io'], ['events']);
const REVISIONS = rule(['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], ['apps'], ['controllerrevisions']);

const ROLES: [string, PolicyRule[]][] = [
  ['clusterrole-aggregation-controller', [rule(['escalate', 'get', 'list', 'patch', 'update', 'watch'], [RBAC], ['clusterroles'])]],
  [
    'certificate-controller',
    [
      rule(['delete', 'get', 'list', 'watch'], ['certificates.k8s.io'], ['certificatesigningrequests']),
      rule(['update'], ['certificates.k8s.io'], ['certificatesigningrequests/approval', 'certificatesigningrequests/status']),
      rule(['approve'], ['certificates.k8s.io'], ['signers'], ['kubernetes.io/kube-apiserver-client-kubelet']),
      rule(
        ['sign'],
        ['certificates.k8s.io'],
        ['signers'],
        [
          'kubernetes.io/kube-apiserver-client',
          'kubernetes.io/kube-apiserver-client-kubelet',
          'kubernetes.io/kubelet-serving',
          'kubernetes.io/legacy-unknown',
        ],
      ),
      rule(['create'], ['authorization.k8s.io'], ['subjectaccessreviews']),
    ],
  ],
  [
    'cronjob-controller',
    [
      rule(['get', 'list', 'update', 'watch'], ['batch'], ['cronjobs']),
      rule(['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], ['batch'], ['jobs']),
      rule(['update'], ['batch'], ['cronjobs/status', 'cronjobs/finalizers']),
      rule(['delete', 'list'], [''], ['pods']),
    ],
  ],
  [
    'daemon-set-controller',
    [
      rule(READ, ['apps', 'extensions'], ['daemonsets']),
      rule(['update'], ['apps', 'extensions'], ['daemonsets/status', 'daemonsets/finalizers']),
      rule(['list', 'watch'], [''], ['nodes']),
      rule(['create', 'delete', 'list', 'patch', 'watch'], [''], ['pods']),
      rule(['create'], [''], ['pods/binding']),
      REVISIONS,
    ],
  ],
  [
    'deployment-controller',
    [
      rule(['get', 'list', 'update', 'watch'], ['apps', 'extensions'], ['deployments']),
      rule(['update'], ['apps', 'extensions'], ['deployments/finalizers', 'deployments/status']),
      rule(['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], ['apps', 'extensions'], ['replicasets']),
      rule(['get', 'list', 'update', 'watch'], [''], ['pods']),
    ],
  ],
  [
    'disruption-controller',
    [
      rule(READ, ['apps', 'extensions'], ['deployments', 'replicasets', 'statefulsets']),
      rule(READ, [''], ['replicationcontrollers']),
      rule(READ, ['policy'], ['poddisruptionbudgets']),
      rule(['update'], ['policy'], ['poddisruptionbudgets/status']),
      rule(['get'], ['*'], ['*/scale']),
      rule(['patch', 'update'], [''], ['pods/status']),
    ],
  ],
  [
    'endpoint-controller',
    [
      rule(READ, [''], ['pods', 'services']),
      rule(['create', 'delete', 'get', 'list', 'update'], [''], ['endpoints']),
      rule(['create'], [''], ['endpoints/restricted']),
    ],
  ],
  [
    'endpointslice-controller',
    [
      rule(READ, [''], ['nodes', 'pods', 'services']),
      rule(['update'], [''], ['services/finalizers']),
      rule(['create', 'delete', 'get', 'list', 'update'], ['discovery.k8s.io'], ['endpointslices']),
    ],
  ],
  ['generic-garbage-collector', [rule(['delete', 'get', 'list', 'patch', 'update', 'watch'], ['*'], ['*'])]],
  [
    'horizontal-pod-autoscaler',
    [
      rule(READ, ['autoscaling'], ['horizontalpodautoscalers']),
      rule(['update'], ['autoscaling'], ['horizontalpodautoscalers/status']),
      rule(['get', 'update'], ['*'], ['*/scale']),
      rule(['list'], [''], ['pods']),
      rule(['list'], ['metrics.k8s.io'], ['pods']),
    ],
  ],
  [
    'job-controller',
    [
      rule(['get', 'list', 'patch', 'update', 'watch'], ['batch'], ['jobs']),
      rule(['patch', 'update'], ['batch'], ['jobs/finalizers', 'jobs/status']),
      rule(['create', 'delete', 'list', 'patch', 'watch'], [''], ['pods']),
    ],
  ],
  [
    'namespace-controller',
    [
      rule(['delete', 'get', 'list', 'watch'], [''], ['namespaces']),
      rule(['update'], [''], ['namespaces/finalize', 'namespaces/status']),
      rule(['delete', 'deletecollection', 'get', 'list'], ['*'], ['*']),
    ],
  ],
  [
    'node-controller',
    [
      rule(['delete', 'get', 'list', 'patch', 'update'], [''], ['nodes']),
      rule(['patch', 'update'], [''], ['nodes/status', 'pods/status']),
      rule(['delete', 'list'], [''], ['pods']),
    ],
  ],
  [
    'persistent-volume-binder',
    [
      rule(['create', 'delete', 'get', 'list', 'update', 'watch'], [''], ['persistentvolumes']),
      rule(['update'], [''], ['persistentvolumes/status', 'persistentvolumeclaims/status']),
      rule(['get', 'list', 'update', 'watch'], [''], ['persistentvolumeclaims']),
      rule(['create', 'delete', 'get', 'list', 'watch'], [''], ['pods']),
      rule(READ, ['storage.k8s.io'], ['storageclasses']),
    ],
  ],
  ['nfs-provisioner', [rule(['create', 'delete', 'get', 'list', 'watch'], [''], ['persistentvolumes'])]],
  ['pv-protection-controller', [rule(['get', 'list', 'update', 'watch'], [''], ['persistentvolumes'])]],
  ['pvc-protection-controller', [rule(['get', 'list', 'update', 'watch'], [''], ['persistentvolumeclaims']), rule(READ, [''], ['pods'])]],
  [
    'replicaset-controller',
    [
      rule(['get', 'list', 'update', 'watch'], ['apps', 'extensions'], ['replicasets']),
      rule(['update'], ['apps', 'extensions'], ['replicasets/finalizers', 'replicasets/status']),
      rule(['create', 'delete', 'list', 'patch', 'watch'], [''], ['pods']),
    ],
  ],
  [
    'replication-controller',
    [
      rule(['get', 'list', 'update', 'watch'], [''], ['replicationcontrollers']),
      rule(['update'], [''], ['replicationcontrollers/finalizers', 'replicationcontrollers/status']),
      rule(['create', 'delete', 'list', 'patch', 'watch'], [''], ['pods']),
    ],
  ],
  ['resourcequota-controller', [rule(['list', 'watch'], ['*'], ['*']), rule(['update'], [''], ['resourcequotas/status'])]],
  ['root-ca-cert-publisher', [rule(['create', 'update'], [''], ['configmaps'])]],
  ['service-account-controller', [rule(['create'], [''], ['serviceaccounts'])]],
  [
    'service-controller',
    [rule(READ, [''], ['services']), rule(['patch', 'update'], [''], ['services/status']), rule(['list', 'watch'], [''], ['nodes'])],
  ],
  ['service-lb-controller', [rule(READ, [''], ['services']), rule(['patch', 'update'], [''], ['services/status'])]],
  [
    'statefulset-controller',
    [
      rule(['list', 'watch'], [''], ['pods']),
      rule(READ, ['apps'], ['statefulsets']),
      rule(['update'], ['apps'], ['statefulsets/finalizers', 'statefulsets/status']),
      rule(['create', 'delete', 'get', 'patch', 'update'], [''], ['pods']),
      REVISIONS,
      rule(['create', 'get'], [''], ['persistentvolumeclaims']),
      rule(['delete', 'update'], [''], ['persistentvolumeclaims']),
    ],
  ],
  // upstream's is a Role in kube-system (bootstrap tokens live there); k8ts' bootstrap policy has cluster roles only
  ['token-cleaner', [rule(['delete', 'get', 'list', 'watch'], [''], ['secrets'])]],
  ['ttl-after-finished-controller', [rule(['delete', 'get', 'list', 'watch'], ['batch'], ['jobs'])]],
];

/** The `system:controller:*` ClusterRoles. */
export const CONTROLLER_ROLES: KubeObject[] = ROLES.map(([name, rules]) => clusterRole(`system:controller:${name}`, [...rules, EVENTS]));
