import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../machinery/object.js';
import type { CacheWatcher, WatchCache } from '../../watch/cache.js';
import { NodeGraph } from './graph.js';
import { podReferences } from './pod-references.js';

function pod(name: string, nodeName: string, spec: Record<string, unknown> = {}): KubeObject {
  return { metadata: { name, namespace: 'ns', uid: `uid-${name}` }, spec: { nodeName, containers: [{ name: 'c' }], ...spec } };
}

const withSecret = (name: string, node: string, secret: string) =>
  pod(name, node, { volumes: [{ name: 'v', secret: { secretName: secret } }] });

describe('podReferences', () => {
  it('finds every Secret, ConfigMap, claim, service account and resource claim a pod names', () => {
    const p = pod('p', 'n1', {
      serviceAccountName: 'sa',
      imagePullSecrets: [{ name: 'pull' }],
      initContainers: [{ name: 'i', envFrom: [{ configMapRef: { name: 'cm-init' } }] }],
      containers: [{ name: 'c', env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 'env-secret', key: 'k' } } }] }],
      volumes: [
        { name: 'v1', configMap: { name: 'cm' } },
        { name: 'v2', persistentVolumeClaim: { claimName: 'claim' } },
        { name: 'v3', projected: { sources: [{ secret: { name: 'proj' } }, { configMap: { name: 'kube-root-ca.crt' } }] } },
        { name: 'eph', ephemeral: { volumeClaimTemplate: {} } },
        { name: 'v4', csi: { driver: 'd', nodePublishSecretRef: { name: 'csi-secret' } } },
      ],
      resourceClaims: [{ name: 'gpu', resourceClaimName: 'rc' }],
    });
    assert.deepEqual(podReferences(p).sort(), [
      'configmap/cm',
      'configmap/cm-init',
      'configmap/kube-root-ca.crt',
      'persistentvolumeclaim/claim',
      'persistentvolumeclaim/p-eph',
      'resourceclaim/rc',
      'secret/csi-secret',
      'secret/env-secret',
      'secret/proj',
      'secret/pull',
      'serviceaccount/sa',
    ]);
  });
});

describe('NodeGraph', () => {
  it('reaches an object from the node whose pod refers to it, and only that node', () => {
    const g = new NodeGraph();
    g.setPod('/p/ns/a', withSecret('a', 'n1', 's1'));
    assert.equal(g.reachable('n1', 'secret', 'ns', 's1'), true);
    assert.equal(g.reachable('n2', 'secret', 'ns', 's1'), false);
    assert.equal(g.reachable('n1', 'secret', 'other', 's1'), false);
    assert.equal(g.reachable('n1', 'configmap', 'ns', 's1'), false);
  });

  it('counts references: the object stays reachable while any pod on the node refers to it', () => {
    const g = new NodeGraph();
    g.setPod('/p/ns/a', withSecret('a', 'n1', 's1'));
    g.setPod('/p/ns/b', withSecret('b', 'n1', 's1'));
    g.setPod('/p/ns/a', undefined);
    assert.equal(g.reachable('n1', 'secret', 'ns', 's1'), true);
    g.setPod('/p/ns/b', withSecret('b', 'n1', 's2'));
    assert.equal(g.reachable('n1', 'secret', 'ns', 's1'), false);
    assert.equal(g.reachable('n1', 'secret', 'ns', 's2'), true);
    g.setPod('/p/ns/b', undefined);
    assert.equal(g.reachable('n1', 'secret', 'ns', 's2'), false);
    assert.equal(g.podCount, 0);
  });

  it('ignores unscheduled pods and follows a pod bound later', () => {
    const g = new NodeGraph();
    g.setPod('/p/ns/a', withSecret('a', '', 's1'));
    assert.equal(g.podCount, 0);
    g.setPod('/p/ns/a', withSecret('a', 'n2', 's1'));
    assert.equal(g.reachable('n2', 'secret', 'ns', 's1'), true);
  });

  it('reaches a PersistentVolume through its bound claim, and the volume’s Secrets through it', () => {
    const g = new NodeGraph();
    g.setPod('/p/ns/a', pod('a', 'n1', { volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'data' } }] }));
    const pv: KubeObject = {
      metadata: { name: 'pv1' },
      spec: {
        claimRef: { namespace: 'ns', name: 'data' },
        csi: { driver: 'd', nodePublishSecretRef: { namespace: 'secrets', name: 'creds' } },
      },
    };
    g.setVolume('pv1', pv);
    assert.equal(g.reachable('n1', 'persistentvolumeclaim', 'ns', 'data'), true);
    assert.equal(g.reachable('n1', 'persistentvolume', '', 'pv1'), true);
    assert.equal(g.reachable('n2', 'persistentvolume', '', 'pv1'), false);
    assert.equal(g.reachable('n1', 'secret', 'secrets', 'creds'), true);
    g.setVolume('pv1', undefined);
    assert.equal(g.reachable('n1', 'persistentvolume', '', 'pv1'), false);
    assert.equal(g.reachable('n1', 'secret', 'secrets', 'creds'), false);
  });

  it('follows watch caches: their snapshot, then their events', () => {
    const watchers: CacheWatcher[] = [];
    const cache = (prefix: string, objects: KubeObject[]) =>
      ({
        prefix,
        oldestRevision: 1,
        list: () => objects,
        watch: (_rev: number, w: CacheWatcher) => {
          watchers.push(w);
          return () => undefined;
        },
      }) as unknown as WatchCache;
    const g = new NodeGraph();
    g.follow({ pods: cache('/registry/pods/', [withSecret('a', 'n1', 's1')]), volumes: cache('/registry/persistentvolumes/', []) });
    assert.equal(g.reachable('n1', 'secret', 'ns', 's1'), true);
    const [pods] = watchers;
    const b = withSecret('b', 'n2', 's2');
    pods?.({ type: 'ADDED', object: b, revision: 2, at: 0, key: '/registry/pods/ns/b' });
    assert.equal(g.reachable('n2', 'secret', 'ns', 's2'), true);
    pods?.({ type: 'DELETED', object: withSecret('a', 'n1', 's1'), revision: 3, at: 0, key: '/registry/pods/ns/a' });
    assert.equal(g.reachable('n1', 'secret', 'ns', 's1'), false);
  });

  it('stays cheap at 1,000 nodes × 10 pods (memory per pod: its references only)', () => {
    const g = new NodeGraph();
    for (let n = 0; n < 1000; n++)
      for (let i = 0; i < 10; i++) g.setPod(`/p/ns/p-${n}-${i}`, withSecret(`p-${n}-${i}`, `node-${n}`, `s-${n}-${i}`));
    assert.equal(g.podCount, 10_000);
    assert.equal(g.reachable('node-999', 'secret', 'ns', 's-999-9'), true);
    assert.equal(g.reachable('node-998', 'secret', 'ns', 's-999-9'), false);
  });
});
