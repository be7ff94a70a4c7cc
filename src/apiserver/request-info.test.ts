import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseRequestInfo } from './request-info.js';

describe('parseRequestInfo', () => {
  const cases: [string, string, Partial<ReturnType<typeof parseRequestInfo>>][] = [
    ['GET', '/api/v1/namespaces/default/pods', { verb: 'list', resource: 'pods', namespace: 'default', name: '', isResourceRequest: true }],
    ['GET', '/api/v1/namespaces/default/pods?watch=true', { verb: 'watch', resource: 'pods', namespace: 'default' }],
    // watch is read as upstream's Convert_Slice_string_To_bool: only "0" and "false" (any case) are false
    ['GET', '/api/v1/namespaces/default/pods?watch=True', { verb: 'watch' }],
    ['GET', '/api/v1/namespaces/default/pods?watch=yes', { verb: 'watch' }],
    ['GET', '/api/v1/namespaces/default/pods?watch=', { verb: 'watch' }],
    ['GET', '/api/v1/namespaces/default/pods?watch', { verb: 'watch' }],
    ['GET', '/api/v1/namespaces/default/pods?watch=FALSE', { verb: 'list' }],
    ['GET', '/api/v1/namespaces/default/pods?watch=0', { verb: 'list' }],
    ['GET', '/api/v1/namespaces/default/pods?watch=0&watch=1', { verb: 'list' }],
    ['GET', '/api/v1/namespaces/default/pods?watch=1&limit=abc', { verb: 'watch' }],
    ['GET', '/api/v1/namespaces/default/pods/web', { verb: 'get', resource: 'pods', name: 'web' }],
    ['GET', '/api/v1/namespaces/default/pods/web/log', { verb: 'get', subresource: 'log' }],
    ['POST', '/api/v1/namespaces/default/pods/web/binding', { verb: 'create', subresource: 'binding', name: 'web' }],
    ['GET', '/api/v1/namespaces', { verb: 'list', resource: 'namespaces', namespace: '' }],
    ['GET', '/api/v1/namespaces/kube-system', { verb: 'get', resource: 'namespaces', name: 'kube-system', namespace: '' }],
    ['PUT', '/api/v1/namespaces/x/finalize', { verb: 'update', resource: 'namespaces', name: 'x', subresource: 'finalize' }],
    ['PUT', '/api/v1/namespaces/x/status', { verb: 'update', resource: 'namespaces', name: 'x', subresource: 'status' }],
    [
      'DELETE',
      '/apis/apps/v1/namespaces/a/deployments',
      { verb: 'deletecollection', group: 'apps', version: 'v1', resource: 'deployments' },
    ],
    ['DELETE', '/apis/apps/v1/namespaces/a/deployments/d', { verb: 'delete', name: 'd' }],
    ['PATCH', '/apis/apps/v1/namespaces/a/deployments/d/scale', { verb: 'patch', subresource: 'scale' }],
    ['GET', '/api/v1/watch/namespaces/a/pods', { verb: 'watch', resource: 'pods', namespace: 'a' }],
    ['GET', '/api/v1/nodes/n1/proxy/metrics', { verb: 'get', resource: 'nodes', name: 'n1', subresource: 'proxy' }],
    ['GET', '/apis', { isResourceRequest: false, verb: 'get' }],
    ['GET', '/apis/apps/v1', { isResourceRequest: false, group: 'apps', version: 'v1' }],
    ['GET', '/healthz', { isResourceRequest: false }],
  ];
  for (const [method, path, want] of cases) {
    it(`${method} ${path}`, () => {
      const got = parseRequestInfo(method, new URL(path, 'https://x'));
      for (const [k, v] of Object.entries(want))
        assert.deepEqual(got[k as keyof typeof got], v, `${k}: want ${String(v)}, got ${String(got[k as keyof typeof got])}`);
    });
  }
});
