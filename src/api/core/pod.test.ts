import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../machinery/object.js';
import type { FieldError } from '../../machinery/errors.js';
import { podGracefulDeletion, podStrategy } from './pod.js';
import { imageTag } from './pod-defaults.js';
import { POD_UPDATE_FORBIDDEN_MESSAGE } from './pod-update.js';

function newPod(spec: Record<string, unknown> = {}): KubeObject {
  return { metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }], ...spec } };
}
function created(spec: Record<string, unknown> = {}): KubeObject {
  const p = newPod(spec);
  podStrategy.defaults?.(p);
  podStrategy.prepareForCreate?.(p);
  return p;
}
const show = (errs: FieldError[]): string[] => errs.map((e) => `${e.field}: ${e.message}`);

test('pod defaults match SetDefaults_Pod', () => {
  const p = created({ volumes: [{ name: 's', secret: { secretName: 'x' } }, { name: 'e' }] });
  assert.deepEqual(p['spec'], {
    containers: [
      {
        name: 'web',
        image: 'nginx:1.25',
        imagePullPolicy: 'IfNotPresent',
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
      },
    ],
    volumes: [
      { name: 's', secret: { secretName: 'x', defaultMode: 420 } },
      { name: 'e', emptyDir: {} },
    ],
    dnsPolicy: 'ClusterFirst',
    restartPolicy: 'Always',
    securityContext: {},
    terminationGracePeriodSeconds: 30,
    schedulerName: 'default-scheduler',
    enableServiceLinks: true,
  });
  assert.deepEqual(p['status'], { phase: 'Pending', qosClass: 'BestEffort' });
});

test('image pull policy follows the tag', () => {
  const table: [string, string][] = [
    ['nginx', 'latest'],
    ['nginx:latest', 'latest'],
    ['nginx:1.2', '1.2'],
    ['localhost:5000/app', 'latest'],
    ['localhost:5000/app:v1', 'v1'],
    ['app@sha256:abc', ''],
  ];
  for (const [image, tag] of table) assert.equal(imageTag(image), tag, image);
  const p = created({ containers: [{ name: 'a', image: 'busybox' }] });
  assert.equal((p['spec'] as { containers: { imagePullPolicy: string }[] }).containers[0]?.imagePullPolicy, 'Always');
});

test('probe, port and requests-from-limits defaults', () => {
  const p = created({
    containers: [
      {
        name: 'a',
        image: 'x:1',
        ports: [{ containerPort: 80 }],
        readinessProbe: { httpGet: { port: 80 } },
        resources: { limits: { cpu: '1', memory: '1Gi' } },
      },
    ],
  });
  const c = (p['spec'] as { containers: Record<string, unknown>[] }).containers[0] ?? {};
  assert.deepEqual(c['ports'], [{ containerPort: 80, protocol: 'TCP' }]);
  assert.deepEqual(c['readinessProbe'], {
    httpGet: { port: 80, path: '/', scheme: 'HTTP' },
    timeoutSeconds: 1,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
  });
  assert.deepEqual(c['resources'], { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } });
  assert.equal((p['status'] as { qosClass: string }).qosClass, 'Guaranteed');
});

test('qos classes', () => {
  const qos = (resources: unknown): string =>
    (created({ containers: [{ name: 'a', image: 'x:1', resources }] })['status'] as { qosClass: string }).qosClass;
  assert.equal(qos({}), 'BestEffort');
  assert.equal(qos({ requests: { cpu: '100m' } }), 'Burstable');
  assert.equal(qos({ limits: { cpu: '1' } }), 'Burstable');
  assert.equal(qos({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } }), 'Burstable');
  assert.equal(qos({ limits: { cpu: '1', memory: '1Gi' } }), 'Guaranteed');
});

const invalidCases: { name: string; spec: Record<string, unknown>; want: string; raw?: boolean }[] = [
  { name: 'no containers', spec: { containers: [] }, want: 'spec.containers: Required value' },
  { name: 'container name missing', spec: { containers: [{ image: 'x' }] }, want: 'spec.containers[0].name: Required value' },
  {
    name: 'container name not a label',
    spec: { containers: [{ name: 'Web', image: 'x' }] },
    want: `spec.containers[0].name: Invalid value: "Web": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
  },
  {
    name: 'duplicate names',
    spec: {
      containers: [
        { name: 'a', image: 'x' },
        { name: 'a', image: 'y' },
      ],
    },
    want: 'spec.containers[1].name: Duplicate value: "a"',
  },
  { name: 'image required', spec: { containers: [{ name: 'a' }] }, want: 'spec.containers[0].image: Required value' },
  {
    name: 'port range',
    spec: { containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 70000 }] }] },
    want: 'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
  },
  {
    name: 'port protocol',
    spec: { containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 80, protocol: 'HTTP' }] }] },
    want: 'spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
  },
  {
    name: 'requests above limits',
    spec: { containers: [{ name: 'a', image: 'x', resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } }] },
    want: 'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
  },
  {
    name: 'negative quantity',
    spec: { containers: [{ name: 'a', image: 'x', resources: { requests: { memory: '-1' } } }] },
    want: 'spec.containers[0].resources.requests[memory]: Invalid value: "-1": must be greater than or equal to 0',
  },
  {
    name: 'restart policy',
    spec: { restartPolicy: 'Sometimes' },
    want: 'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
  },
  {
    name: 'volume without source (before defaults)',
    spec: { volumes: [{ name: 'v' }] },
    want: 'spec.volumes[0]: Required value: must specify a volume type',
    raw: true,
  },
  {
    name: 'volume with two sources',
    spec: { volumes: [{ name: 'v', emptyDir: {}, hostPath: { path: '/x' } }] },
    want: 'spec.volumes[0].emptyDir: Forbidden: may not specify more than 1 volume type',
  },
  {
    name: 'duplicate volume',
    spec: {
      volumes: [
        { name: 'v', emptyDir: {} },
        { name: 'v', emptyDir: {} },
      ],
    },
    want: 'spec.volumes[1].name: Duplicate value: "v"',
  },
  {
    name: 'secret name required',
    spec: { volumes: [{ name: 'v', secret: {} }] },
    want: 'spec.volumes[0].secret.secretName: Required value',
  },
  {
    name: 'mount of unknown volume',
    spec: { containers: [{ name: 'a', image: 'x', volumeMounts: [{ name: 'nope', mountPath: '/d' }] }] },
    want: 'spec.containers[0].volumeMounts[0].name: Not found: "nope"',
  },
  {
    name: 'mount path unique',
    spec: {
      volumes: [{ name: 'v', emptyDir: {} }],
      containers: [
        {
          name: 'a',
          image: 'x',
          volumeMounts: [
            { name: 'v', mountPath: '/d' },
            { name: 'v', mountPath: '/d' },
          ],
        },
      ],
    },
    want: 'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/d": must be unique',
  },
];

for (const c of invalidCases) {
  test(`pod validation: ${c.name}`, () => {
    const p = newPod(c.spec);
    if (!c.raw) podStrategy.defaults?.(p);
    const got = show(podStrategy.validate?.(p) ?? []);
    assert.ok(got.includes(c.want), `want ${c.want}\ngot ${got.join('\n')}`);
  });
}

test('a valid pod has no errors', () => {
  const p = created({
    volumes: [{ name: 'v', configMap: { name: 'c' } }],
    containers: [{ name: 'a', image: 'x', volumeMounts: [{ name: 'v', mountPath: '/c' }] }],
  });
  assert.deepEqual(show(podStrategy.validate?.(p) ?? []), []);
});

test('pod updates: image may change, other fields may not', () => {
  const old = created();
  const imageOnly = structuredClone(old);
  (imageOnly['spec'] as { containers: { image: string }[] }).containers[0]!.image = 'nginx:1.26';
  assert.deepEqual(podStrategy.validateUpdate?.(imageOnly, old), []);
  const changed = structuredClone(old);
  (changed['spec'] as Record<string, unknown>)['restartPolicy'] = 'Never';
  const errs = podStrategy.validateUpdate?.(changed, old) ?? [];
  assert.equal(errs.length, 1);
  assert.equal(errs[0]?.field, 'spec');
  assert.ok(errs[0]?.message.startsWith(`Forbidden: ${POD_UPDATE_FORBIDDEN_MESSAGE}\n`), errs[0]?.message);
  const tolerated = structuredClone(old);
  (tolerated['spec'] as Record<string, unknown>)['tolerations'] = [{ key: 'k', operator: 'Exists' }];
  assert.deepEqual(podStrategy.validateUpdate?.(tolerated, old), []);
});

test('pod status update may not revive terminated containers of a Never pod', () => {
  const old = created({ restartPolicy: 'Never' });
  old['status'] = { phase: 'Failed', containerStatuses: [{ name: 'web', state: { terminated: { exitCode: 1 } } }] };
  const next = structuredClone(old);
  next['status'] = { phase: 'Running', containerStatuses: [{ name: 'web', state: { running: {} } }] };
  assert.deepEqual(show(podStrategy.validateStatusUpdate?.(next, old) ?? []), [
    'status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state',
  ]);
});

test('graceful deletion period', () => {
  const scheduled = created({ nodeName: 'n1' });
  assert.equal(podGracefulDeletion(scheduled, undefined), 30);
  assert.equal(podGracefulDeletion(scheduled, 5), 5);
  assert.equal(podGracefulDeletion(scheduled, -3), 1);
  assert.equal(podGracefulDeletion(created({ nodeName: 'n1', terminationGracePeriodSeconds: 10 }), undefined), 10);
  assert.equal(podGracefulDeletion(created(), undefined), 0);
  const done = created({ nodeName: 'n1' });
  done['status'] = { phase: 'Succeeded' };
  assert.equal(podGracefulDeletion(done, 30), 0);
});

test('pod field labels, all present on an empty pod', () => {
  assert.deepEqual(podStrategy.selectableFields?.({ metadata: {} }), {
    'spec.nodeName': '',
    'spec.restartPolicy': '',
    'spec.schedulerName': '',
    'spec.serviceAccountName': '',
    'spec.hostNetwork': 'false',
    'status.phase': '',
    'status.podIP': '',
    'status.nominatedNodeName': '',
  });
  const p = created({ nodeName: 'n1' });
  assert.equal(podStrategy.selectableFields?.(p)['spec.nodeName'], 'n1');
  assert.equal(podStrategy.selectableFields?.(p)['status.phase'], 'Pending');
});
