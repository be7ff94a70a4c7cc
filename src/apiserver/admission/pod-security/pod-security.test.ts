import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResourceType } from '../../../api/resource.js';
import { isStatusError } from '../../../machinery/errors.js';
import type { KubeObject } from '../../../machinery/object.js';
import type { WatchCache } from '../../watch/cache.js';
import type { AdmissionAttributes } from '../interface.js';
import { parsePodSecurityConfiguration } from './config.js';
import { PodSecurity } from './pod-security.js';

const type = (group: string, plural: string) => ({ group, version: 'v1', plural }) as unknown as ResourceType;

/** A stand-in for a watch cache keyed `prefix + [namespace/]name`. */
function cache(prefix: string, objects: KubeObject[]): WatchCache {
  const key = (o: KubeObject) => `${prefix}${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
  const map = new Map(objects.map((o) => [key(o), o]));
  return {
    prefix,
    get: (k: string) => map.get(k),
    list: (p: string) => [...map].filter(([k]) => k.startsWith(p)).map(([, o]) => o),
  } as unknown as WatchCache;
}

const ns = (name: string, labels: Record<string, string>): KubeObject => ({ metadata: { name, labels } });
const plainPod = (name: string, namespace = 'r'): KubeObject => ({
  metadata: { name, namespace },
  spec: { containers: [{ name: 'c', image: 'busybox' }] },
});

function setup(pods: KubeObject[] = []) {
  const namespaces = [
    ns('r', { 'pod-security.kubernetes.io/enforce': 'restricted' }),
    ns('w', { 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/warn-version': 'v1.30' }),
    ns('open', {}),
  ];
  return new PodSecurity({ namespaces: () => cache('/ns/', namespaces), pods: () => cache('/pods/', pods) });
}

function attrs(over: Partial<AdmissionAttributes> & Pick<AdmissionAttributes, 'type' | 'object'>): AdmissionAttributes {
  return {
    operation: 'CREATE',
    namespace: 'r',
    name: over.object?.metadata.name ?? '',
    subresource: '',
    dryRun: false,
    warnings: [],
    ...over,
  };
}

describe('PodSecurity admission', () => {
  it('forbids a pod violating the enforce level with upstream’s message', () => {
    const plugin = setup();
    assert.throws(
      () => plugin.validate(attrs({ type: type('', 'pods'), object: plainPod('x') })),
      (err: unknown) =>
        isStatusError(err, 'Forbidden') &&
        (err.status.message ?? '').startsWith(
          'pods "x" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "c" must set',
        ),
    );
    const open = attrs({ type: type('', 'pods'), namespace: 'open', object: plainPod('x', 'open') });
    plugin.validate(open);
    assert.deepEqual(open.warnings, []);
  });

  it('warns for the warn level, and for pod templates at the enforce level', () => {
    const plugin = setup();
    const warned = attrs({ type: type('', 'pods'), namespace: 'w', object: plainPod('x', 'w') });
    plugin.validate(warned);
    assert.equal(warned.warnings?.length, 1);
    assert.match(warned.warnings?.[0] ?? '', /^would violate PodSecurity "restricted:v1.30": allowPrivilegeEscalation != false/);
    const template = { metadata: {}, spec: { containers: [{ name: 'c', securityContext: { privileged: true } }] } };
    const deploy = attrs({ type: type('apps', 'deployments'), object: { metadata: { name: 'd' }, spec: { template } } });
    plugin.validate(deploy);
    assert.match(
      deploy.warnings?.[0] ?? '',
      /^would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false .*privileged \(container "c" must not set securityContext.privileged=true\)/,
    );
    const cron = attrs({
      type: type('batch', 'cronjobs'),
      object: { metadata: { name: 'cj' }, spec: { jobTemplate: { spec: { template } } } },
    });
    plugin.validate(cron);
    assert.equal(cron.warnings?.length, 1);
    const scaled = attrs({
      type: type('apps', 'deployments'),
      operation: 'UPDATE',
      object: { metadata: { name: 'd' }, spec: { replicas: 3, template } },
      oldObject: { metadata: { name: 'd' }, spec: { replicas: 1, template } },
    });
    plugin.validate(scaled);
    assert.deepEqual(scaled.warnings, [], 'the template did not change');
  });

  it('leaves status updates and image-only changes alone', () => {
    const plugin = setup();
    const old = plainPod('x');
    const next = structuredClone(old);
    (next['spec'] as { containers: { image: string }[] }).containers[0]!.image = 'busybox:2';
    plugin.validate(attrs({ type: type('', 'pods'), operation: 'UPDATE', object: next, oldObject: old }));
    plugin.validate(attrs({ type: type('', 'pods'), operation: 'UPDATE', subresource: 'status', object: next, oldObject: old }));
  });

  it('validates the labels, and warns about existing pods when the enforce level changes', () => {
    const plugin = setup([
      plainPod('a', 'open'),
      plainPod('b', 'open'),
      { metadata: { name: 'p', namespace: 'open' }, spec: { hostPID: true, containers: [{ name: 'c' }] } },
    ]);
    assert.throws(
      () =>
        plugin.validate(
          attrs({ type: type('', 'namespaces'), namespace: '', object: ns('open', { 'pod-security.kubernetes.io/enforce': 'strict' }) }),
        ),
      (err: unknown) =>
        isStatusError(err, 'Invalid') &&
        err.status.message ===
          'Namespace "open" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted',
    );
    const labelled = attrs({
      type: type('', 'namespaces'),
      operation: 'UPDATE',
      namespace: '',
      object: ns('open', { 'pod-security.kubernetes.io/enforce': 'restricted' }),
      oldObject: ns('open', {}),
    });
    plugin.validate(labelled);
    assert.deepEqual(labelled.warnings, [
      'existing pods in namespace "open" violate the new PodSecurity enforce level "restricted:latest"',
      'a (and 1 other pod): allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile',
      'p: allowPrivilegeEscalation != false, unrestricted capabilities, host namespaces, runAsNonRoot != true, seccompProfile',
    ]);
  });

  it('takes defaults and exemptions from a PodSecurityConfiguration', () => {
    const configuration = parsePodSecurityConfiguration({
      apiVersion: 'pod-security.admission.config.k8s.io/v1',
      kind: 'PodSecurityConfiguration',
      defaults: { enforce: 'baseline', 'enforce-version': 'latest' },
      exemptions: { usernames: ['admin'], runtimeClasses: ['kata'], namespaces: ['kube-system'] },
    });
    const namespaces = [ns('open', {}), ns('kube-system', {})];
    const plugin = new PodSecurity({ namespaces: () => cache('/ns/', namespaces), pods: () => cache('/pods/', []), configuration });
    const privileged = (namespace: string, runtimeClassName?: string): KubeObject => ({
      metadata: { name: 'x', namespace },
      spec: { ...(runtimeClassName ? { runtimeClassName } : {}), containers: [{ name: 'c', securityContext: { privileged: true } }] },
    });
    const podAttrs = (object: KubeObject, user = 'bob') =>
      attrs({ type: type('', 'pods'), namespace: object.metadata.namespace ?? '', object, user: { name: user, groups: [] } });
    assert.throws(() => plugin.validate(podAttrs(privileged('open'))), /violates PodSecurity "baseline:latest": privileged/);
    plugin.validate(podAttrs(privileged('open'), 'admin'));
    plugin.validate(podAttrs(privileged('open', 'kata')));
    plugin.validate(podAttrs(privileged('kube-system')));
    assert.throws(
      () =>
        parsePodSecurityConfiguration({
          apiVersion: 'pod-security.admission.config.k8s.io/v1',
          kind: 'PodSecurityConfiguration',
          defaults: { warn: 'x' },
        }),
      /defaults.warn: invalid level "x"/,
    );
  });

  it('annotates the audit event: enforce-policy, audit-violations, exempt', () => {
    const namespaces = [
      ns('a', { 'pod-security.kubernetes.io/audit': 'baseline' }),
      ns('r', { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/audit': 'restricted' }),
    ];
    const configuration = parsePodSecurityConfiguration({
      apiVersion: 'pod-security.admission.config.k8s.io/v1',
      kind: 'PodSecurityConfiguration',
      exemptions: { usernames: ['admin'] },
    });
    const plugin = new PodSecurity({ namespaces: () => cache('/ns/', namespaces), pods: () => cache('/pods/', []), configuration });
    const annotated = (object: KubeObject, namespace: string, user = 'bob', t = type('', 'pods')) => {
      const annotations: Record<string, string> = {};
      const a = attrs({ type: t, namespace, object, user: { name: user, groups: [] } });
      a.addAnnotation = (k, v) => {
        annotations[k] ??= v;
      };
      try {
        plugin.validate(a);
      } catch {
        // refused: the annotations are made all the same
      }
      return annotations;
    };
    const privileged: KubeObject = {
      metadata: { name: 'x' },
      spec: { containers: [{ name: 'c', securityContext: { privileged: true } }] },
    };
    assert.deepEqual(annotated(privileged, 'a'), {
      'pod-security.kubernetes.io/enforce-policy': 'privileged:latest',
      'pod-security.kubernetes.io/audit-violations':
        'would violate PodSecurity "baseline:latest": privileged (container "c" must not set securityContext.privileged=true)',
    });
    const refused = annotated(privileged, 'r');
    assert.equal(refused['pod-security.kubernetes.io/enforce-policy'], 'restricted:latest');
    assert.match(
      refused['pod-security.kubernetes.io/audit-violations'] ?? '',
      /^would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false .*privileged/,
    );
    assert.deepEqual(annotated(privileged, 'r', 'admin'), { 'pod-security.kubernetes.io/exempt': 'user' });
    const deployment: KubeObject = { metadata: { name: 'd' }, spec: { template: { metadata: {}, spec: privileged['spec'] } } };
    assert.deepEqual(Object.keys(annotated(deployment, 'a', 'bob', type('apps', 'deployments'))), [
      'pod-security.kubernetes.io/audit-violations',
    ]);
  });
});
