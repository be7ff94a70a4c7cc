import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Indexer } from '../client/indexer.js';
import type { KubeObject } from '../machinery/object.js';
import { SERVICE_NAME_LABEL, SLICES_BY_SERVICE, ServiceEndpointPicker, sliceServiceKey } from './endpoints.js';

type Obj = Record<string, unknown>;

const service = (ports: Obj[]): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default' },
  spec: { ports },
});
const slice = (name: string, ports: Obj[], endpoints: [ip: string, ready?: boolean][], addressType = 'IPv4'): KubeObject => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name, namespace: 'default', labels: { [SERVICE_NAME_LABEL]: 'web' } },
  addressType,
  ports,
  endpoints: endpoints.map(([ip, ready]) => ({ addresses: [ip], ...(ready === undefined ? {} : { conditions: { ready } }) })),
});

function picker(objects: { services: KubeObject[]; slices: KubeObject[] }): ServiceEndpointPicker {
  const services = new Indexer();
  for (const s of objects.services) services.upsert(s);
  const endpointSlices = new Indexer();
  endpointSlices.addIndexer(SLICES_BY_SERVICE, sliceServiceKey);
  for (const s of objects.slices) endpointSlices.upsert(s);
  return new ServiceEndpointPicker({ services, endpointSlices });
}

describe('ServiceEndpointPicker', () => {
  const p = picker({
    services: [
      service([
        { name: 'http', port: 80, targetPort: 8080 },
        { name: 'metrics', port: 9090, targetPort: 'm' },
      ]),
    ],
    slices: [
      slice(
        'web-a',
        [
          { name: 'http', port: 8080 },
          { name: 'metrics', port: 9100 },
        ],
        [['10.0.0.2'], ['10.0.0.1', true], ['10.0.0.9', false]],
      ),
      slice('web-b', [{ name: 'http', port: 8080 }], [['10.0.0.3', true]]),
      slice('web-v6', [{ name: 'http', port: 8080 }], [['fd00::1', true]], 'IPv6'),
    ],
  });

  const cases: [name: string, port: number | string, want: string[]][] = [
    ['by port number: ready endpoints of every IPv4 slice', 80, ['10.0.0.1:8080', '10.0.0.2:8080', '10.0.0.3:8080']],
    ['by port name', 'metrics', ['10.0.0.1:9100', '10.0.0.2:9100']],
    ['an unknown port number', 81, []],
    ['an unknown port name', 'nope', []],
  ];
  for (const [name, port, want] of cases) {
    it(name, () => {
      assert.deepEqual(
        p.resolve({ namespace: 'default', service: 'web', port }).map((e) => `${e.ip}:${e.port}`),
        want,
      );
    });
  }

  it('answers nothing for a missing Service', () => {
    assert.equal(p.pick({ namespace: 'default', service: 'gone', port: 80 }), undefined);
  });

  it('hands endpoints out round-robin', () => {
    const got = Array.from({ length: 4 }, () => p.pick({ namespace: 'default', service: 'web', port: 'http' })?.ip);
    assert.deepEqual(got, ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.1']);
    p.invalidate();
    assert.equal(p.pick({ namespace: 'default', service: 'web', port: 'http' })?.ip, '10.0.0.2', 'the turn survives an unrelated change');
  });
});
