import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AdmissionAttributes } from '../../apiserver/admission/interface.js';
import type { ResourceType } from '../../api/resource.js';
import { DefaultTolerationSeconds } from './default-toleration-seconds.js';

const POD_TYPE = { group: '', version: 'v1', kind: 'Pod', plural: 'pods', singular: 'pod', namespaced: true, strategy: {} } as ResourceType;
const NOT_READY = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
const UNREACHABLE = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };

function admit(tolerations: unknown[] | undefined, extra: Partial<AdmissionAttributes> = {}): unknown {
  const object = { metadata: { name: 'p' }, spec: tolerations ? { tolerations } : {} };
  const attrs: AdmissionAttributes = {
    operation: 'CREATE',
    type: POD_TYPE,
    namespace: 'default',
    name: 'p',
    subresource: '',
    object,
    dryRun: false,
    ...extra,
  };
  new DefaultTolerationSeconds().admit(attrs);
  return (object.spec as { tolerations?: unknown[] }).tolerations;
}

describe('DefaultTolerationSeconds', () => {
  const mine = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 };
  const cases = [
    { name: 'adds both to a pod without tolerations', in: undefined, want: [NOT_READY, UNREACHABLE] },
    { name: 'keeps an existing unreachable toleration', in: [mine], want: [mine, NOT_READY] },
    { name: 'a toleration of every taint needs nothing', in: [{ operator: 'Exists' }], want: [{ operator: 'Exists' }] },
    {
      name: 'a NoSchedule toleration does not count',
      in: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }],
      want: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }, NOT_READY, UNREACHABLE],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(admit(c.in), c.want));

  it('leaves subresources and other resources alone', () => {
    assert.equal(admit(undefined, { subresource: 'status' }), undefined);
    assert.equal(admit(undefined, { type: { ...POD_TYPE, plural: 'configmaps' } as ResourceType }), undefined);
  });
});
