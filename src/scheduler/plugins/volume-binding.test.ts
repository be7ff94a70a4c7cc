import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../../api/storage/volume-helpers.js';
import { filterReasons, makeNode, makePod, newCluster } from '../testing/fixtures.js';
import type { Pod } from '../types.js';

const hostnameAffinity = (node: string) => ({
  required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] },
});

function pv(name: string, extra: Partial<NonNullable<PersistentVolume['spec']>>): PersistentVolume {
  return {
    metadata: { name },
    spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], local: { path: '/mnt' }, ...extra },
    status: { phase: 'Available' },
  };
}

function pvc(name: string, storageClassName: string, volumeName?: string): PersistentVolumeClaim {
  return {
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      ...(volumeName ? { annotations: { 'pv.kubernetes.io/bind-completed': 'yes' } } : {}),
    },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '1Gi' } },
      storageClassName,
      ...(volumeName ? { volumeName } : {}),
    },
  };
}

const classes: StorageClass[] = [
  { metadata: { name: 'manual' }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'Immediate' },
  { metadata: { name: 'local' }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer' },
  {
    metadata: { name: 'zonal' },
    provisioner: 'example.com/zonal',
    volumeBindingMode: 'WaitForFirstConsumer',
    allowedTopologies: [{ matchLabelExpressions: [{ key: 'zone', values: ['a'] }] }],
  },
];

function withClaims(name: string, ...claims: string[]): Pod {
  const pod = makePod(name);
  (pod.spec as Record<string, unknown>)['volumes'] = claims.map((c) => ({ name: c, persistentVolumeClaim: { claimName: c } }));
  return pod;
}

test('VolumeBinding filters nodes by their claims’ volumes, as upstream words it', () => {
  const volumes = [
    pv('on-n1', { nodeAffinity: hostnameAffinity('n1') }),
    pv('local-n2', { storageClassName: 'local', nodeAffinity: hostnameAffinity('n2') }),
  ];
  const claims = [
    pvc('bound', 'manual', 'on-n1'),
    pvc('immediate', 'manual'),
    pvc('wffc', 'local'),
    pvc('zonal', 'zonal'),
    pvc('lost', 'manual', 'gone'),
  ];
  const c = newCluster([makeNode('n1', { labels: { zone: 'a' } }), makeNode('n2', { labels: { zone: 'b' } })], [], {
    volumeListers: {
      claim: (ns, name) => claims.find((x) => x.metadata.namespace === ns && x.metadata.name === name),
      volumes: () => volumes,
      storageClass: (name) => classes.find((x) => x.metadata.name === name),
    },
  });
  const cases: [pod: Pod, n1: string, n2: string][] = [
    [withClaims('none'), '', ''],
    [withClaims('missing', 'nope'), 'persistentvolumeclaim "nope" not found', 'persistentvolumeclaim "nope" not found'],
    [
      withClaims('imm', 'immediate'),
      'pod has unbound immediate PersistentVolumeClaims',
      'pod has unbound immediate PersistentVolumeClaims',
    ],
    [withClaims('b', 'bound'), '', 'node(s) had volume node affinity conflict'],
    [withClaims('w', 'wffc'), "node(s) didn't find available persistent volumes to bind", ''],
    [withClaims('z', 'zonal'), '', "node(s) didn't find available persistent volumes to bind"],
    [
      withClaims('l', 'lost'),
      'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)',
      'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)',
    ],
  ];
  for (const [pod, n1, n2] of cases) {
    assert.equal(filterReasons(c, pod, 'n1'), n1, `${pod.metadata.name} on n1`);
    assert.equal(filterReasons(c, pod, 'n2'), n2, `${pod.metadata.name} on n2`);
  }
});
