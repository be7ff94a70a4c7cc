import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResourceType } from '../../api/resource.js';
import { isStatusError } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import type { WatchCache } from '../watch/cache.js';
import type { AdmissionAttributes } from './interface.js';
import { LimitRanger } from './limit-ranger.js';

const PODS = { group: '', version: 'v1', plural: 'pods' } as unknown as ResourceType;
const CLAIMS = { group: '', version: 'v1', plural: 'persistentvolumeclaims' } as unknown as ResourceType;

function ranger(limits: Record<string, unknown>[]): LimitRanger {
  const lr: KubeObject = { metadata: { name: 'lr', namespace: 'ns' }, spec: { limits } };
  const cache = { prefix: '/lr/', list: (p: string) => ('/lr/ns/'.startsWith(p) ? [lr] : []) } as unknown as WatchCache;
  return new LimitRanger({ limitRanges: () => cache });
}

function pod(containers: Record<string, unknown>[]): KubeObject {
  return { metadata: { name: 'p', namespace: 'ns' }, spec: { containers }, status: { phase: 'Pending', qosClass: 'BestEffort' } };
}

function attrs(object: KubeObject, type = PODS): AdmissionAttributes {
  return { operation: 'CREATE', type, namespace: 'ns', name: object.metadata.name ?? '', subresource: '', object, dryRun: false };
}

const forbidden = (message: string) => (err: unknown) => isStatusError(err, 'Forbidden') && err.status.message === message;

describe('LimitRanger admission', () => {
  it('sets default requests and limits, notes them, and the QoS class follows', () => {
    const plugin = ranger([
      { type: 'Container', default: { cpu: '500m', memory: '128Mi' }, defaultRequest: { cpu: '100m', memory: '64Mi' } },
    ]);
    const p = pod([{ name: 'a' }, { name: 'b', resources: { limits: { cpu: '1' }, requests: { cpu: '1' } } }]);
    plugin.admit(attrs(p));
    const spec = p['spec'] as { containers: { resources: unknown }[] };
    assert.deepEqual(spec.containers[0]?.resources, {
      requests: { cpu: '100m', memory: '64Mi' },
      limits: { cpu: '500m', memory: '128Mi' },
    });
    assert.deepEqual(spec.containers[1]?.resources, { requests: { cpu: '1', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } });
    assert.equal(
      p.metadata.annotations?.['kubernetes.io/limit-ranger'],
      'LimitRanger plugin set: cpu, memory request for container a; cpu, memory limit for container a; memory request for container b; memory limit for container b',
    );
    assert.equal((p['status'] as { qosClass: string }).qosClass, 'Burstable');
    const same = ranger([{ type: 'Container', default: { cpu: '1', memory: '1Gi' }, defaultRequest: { cpu: '1', memory: '1Gi' } }]);
    const g = pod([{ name: 'a' }]);
    same.admit(attrs(g));
    assert.equal((g['status'] as { qosClass: string }).qosClass, 'Guaranteed');
  });

  it('refuses containers outside min and max with upstream’s messages', () => {
    const plugin = ranger([{ type: 'Container', max: { cpu: '1' }, min: { memory: '64Mi' } }]);
    assert.throws(
      () =>
        plugin.validate(
          attrs(pod([{ name: 'a', resources: { limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '2', memory: '1Gi' } } }])),
        ),
      forbidden('pods "p" is forbidden: maximum cpu usage per Container is 1, but limit is 2'),
    );
    assert.throws(
      () => plugin.validate(attrs(pod([{ name: 'a', resources: { limits: { cpu: '500m' }, requests: { memory: '1Mi' } } }]))),
      forbidden('pods "p" is forbidden: minimum memory usage per Container is 64Mi, but request is 1Mi'),
    );
    assert.throws(
      () => plugin.validate(attrs(pod([{ name: 'a' }]))),
      forbidden(
        'pods "p" is forbidden: [minimum memory usage per Container is 64Mi.  No request is specified, maximum cpu usage per Container is 1.  No limit is specified]',
      ),
    );
    plugin.validate(attrs(pod([{ name: 'a', resources: { limits: { cpu: '1' }, requests: { memory: '64Mi' } } }])));
  });

  it('bounds the limit to request ratio and the pod’s total', () => {
    const plugin = ranger([
      { type: 'Container', maxLimitRequestRatio: { cpu: '2' } },
      { type: 'Pod', max: { memory: '1Gi' } },
    ]);
    const res = (cpuReq: string, mem: string) => ({
      resources: { requests: { cpu: cpuReq, memory: mem }, limits: { cpu: '1', memory: mem } },
    });
    assert.throws(
      () => plugin.validate(attrs(pod([{ name: 'a', ...res('250m', '100Mi') }]))),
      forbidden('pods "p" is forbidden: cpu max limit to request ratio per Container is 2, but provided ratio is 4.000000'),
    );
    assert.throws(
      () =>
        plugin.validate(
          attrs(
            pod([
              { name: 'a', ...res('500m', '600Mi') },
              { name: 'b', ...res('500m', '600Mi') },
            ]),
          ),
        ),
      forbidden('pods "p" is forbidden: maximum memory usage per Pod is 1Gi, but limit is 1200Mi'),
    );
    plugin.validate(
      attrs(
        pod([
          { name: 'a', ...res('500m', '500Mi') },
          { name: 'b', ...res('500m', '500Mi') },
        ]),
      ),
    );
  });

  it('bounds a claim’s storage request', () => {
    const plugin = ranger([{ type: 'PersistentVolumeClaim', max: { storage: '2Gi' }, min: { storage: '1Gi' } }]);
    const claim = (storage: string): KubeObject => ({
      metadata: { name: 'c', namespace: 'ns' },
      spec: { resources: { requests: { storage } } },
    });
    assert.throws(
      () => plugin.validate(attrs(claim('5Gi'), CLAIMS)),
      forbidden('persistentvolumeclaims "c" is forbidden: maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 5Gi'),
    );
    plugin.validate(attrs(claim('1Gi'), CLAIMS));
  });
});
