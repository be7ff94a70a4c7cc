import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../machinery/object.js';
import { buildRoutingTable, hostName } from './routing-table.js';

type Obj = Record<string, unknown>;

const backend = (service: string, port: number | string = 80): Obj => ({
  service: { name: service, port: typeof port === 'number' ? { number: port } : { name: port } },
});
const path = (p: string, pathType: string, service: string): Obj => ({ path: p, pathType, backend: backend(service) });

function ingress(name: string, spec: Obj, created = '2026-01-01T00:00:00Z'): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'default', creationTimestamp: created },
    spec,
  };
}

// the Ingress spec's examples (concepts/services-networking/ingress "Examples") and host wildcards
const table = buildRoutingTable([
  ingress('paths', {
    rules: [
      {
        host: 'spec.example',
        http: {
          paths: [
            path('/', 'Prefix', 'root'),
            path('/foo', 'Exact', 'foo-exact'),
            path('/foo/', 'Prefix', 'foo-prefix'),
            path('/aaa/bbb', 'Prefix', 'aaa-bbb'),
            path('/aaa/bbb/ccc', 'Prefix', 'aaa-bbb-ccc'),
            path('/impl', 'ImplementationSpecific', 'impl'),
            path('/exact', 'Exact', 'exact'),
          ],
        },
      },
    ],
  }),
  ingress('hosts', {
    defaultBackend: backend('hosts-default'),
    rules: [
      { host: 'foo.bar.com', http: { paths: [path('/app', 'Prefix', 'foo-exact-host')] } },
      { host: '*.bar.com', http: { paths: [path('/', 'Prefix', 'wild')] } },
      { http: { paths: [path('/any', 'Prefix', 'any-host')] } },
    ],
  }),
  ingress(
    'newer',
    {
      defaultBackend: backend('newer-default'),
      rules: [{ host: 'foo.bar.com', http: { paths: [path('/app', 'Prefix', 'newer-app'), path('/new', 'Prefix', 'newer-new')] } }],
    },
    '2026-02-01T00:00:00Z',
  ),
  ingress('named-port', {
    rules: [{ host: 'named.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('svc', 'http') }] } }],
  }),
]);

describe('routing table', () => {
  const cases: [host: string, reqPath: string, want: string | undefined][] = [
    ['spec.example', '/', 'root'],
    ['spec.example', '/foo', 'foo-exact'],
    ['spec.example', '/foo/', 'foo-prefix'],
    ['spec.example', '/foo/x', 'foo-prefix'],
    ['spec.example', '/foobar', 'root'],
    ['spec.example', '/aaa/bbb', 'aaa-bbb'],
    ['spec.example', '/aaa/bbb/', 'aaa-bbb'],
    ['spec.example', '/aaa/bbbxyz', 'root'],
    ['spec.example', '/aaa/bbb/ccc', 'aaa-bbb-ccc'],
    ['spec.example', '/aaa/bbb/cccxyz', 'aaa-bbb'],
    ['spec.example', '/impl/x?q=1', 'impl'],
    ['spec.example', '/exact?q=1', 'exact'],
    ['spec.example', '/exact/', 'root'],
    ['SPEC.example:8443', '/exact', 'exact'],
    ['spec.example.', '/exact', 'exact'],
    ['foo.bar.com', '/app/x', 'foo-exact-host'],
    ['foo.bar.com', '/new', 'newer-new'],
    ['foo.bar.com', '/other', 'hosts-default'],
    ['baz.bar.com', '/other', 'wild'],
    ['a.baz.bar.com', '/any/1', 'any-host'],
    ['bar.com', '/any', 'any-host'],
    ['bar.com', '/nothing', 'hosts-default'],
    ['unknown', '/', 'hosts-default'],
    ['named.example', '/', 'svc'],
  ];
  for (const [host, reqPath, want] of cases) {
    it(`${host} ${reqPath} → ${want}`, () => {
      assert.equal(table.route(host, reqPath).backend?.service, want);
    });
  }

  it('names the port by number or by name, and the Ingress that matched', () => {
    assert.deepEqual(table.route('named.example', '/'), {
      backend: { namespace: 'default', service: 'svc', port: 'http' },
      ingress: 'default/named-port',
    });
    assert.deepEqual(table.route('foo.bar.com', '/app').backend?.port, 80);
  });

  it('answers the 404 default backend when nothing matches and no Ingress has a defaultBackend', () => {
    const t = buildRoutingTable([ingress('only', { rules: [{ host: 'a.example', http: { paths: [path('/x', 'Exact', 'x')] } }] })]);
    assert.deepEqual(t.route('a.example', '/y'), { backend: undefined, ingress: undefined });
    assert.deepEqual(t.route('b.example', '/x'), { backend: undefined, ingress: undefined });
  });

  it('collects TLS entries with lowercased hosts; an entry without hosts covers the Ingress’ rule hosts', () => {
    const t = buildRoutingTable([
      ingress('tls', {
        tls: [{ hosts: ['A.example'], secretName: 's' }, { hosts: ['b'] }, { secretName: 'all' }],
        rules: [{ host: 'X.example', http: { paths: [path('/', 'Prefix', 'x')] } }, { http: { paths: [path('/', 'Prefix', 'y')] } }],
      }),
    ]);
    assert.deepEqual(t.tls, [
      { namespace: 'default', secretName: 's', hosts: ['a.example'] },
      { namespace: 'default', secretName: 'all', hosts: ['x.example'] },
    ]);
  });

  it('reads Host headers as names', () => {
    assert.equal(hostName('Foo.Example:80'), 'foo.example');
    assert.equal(hostName('[::1]:80'), '[::1]');
    assert.equal(hostName('foo'), 'foo');
  });
});
