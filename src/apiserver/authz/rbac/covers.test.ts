import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compactRules, uncovered } from './covers.js';

describe('uncovered', () => {
  it('finds what the owner lacks, atom by atom', () => {
    const owner = [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', '*/status'] }];
    assert.deepEqual(uncovered(owner, [{ verbs: ['get'], apiGroups: [''], resources: ['pods', 'nodes/status'] }]), []);
    assert.deepEqual(uncovered(owner, [{ verbs: ['get', 'delete'], apiGroups: [''], resources: ['pods'] }]), [
      { verbs: ['delete'], apiGroups: [''], resources: ['pods'] },
    ]);
    assert.deepEqual(uncovered(owner, [{ verbs: ['get'], apiGroups: [''], resources: ['*'] }]), [
      { verbs: ['get'], apiGroups: [''], resources: ['*'] },
    ]);
  });

  it('treats resourceNames and non-resource URLs as upstream', () => {
    const named = [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }];
    assert.deepEqual(uncovered(named, [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }]), []);
    assert.equal(uncovered(named, [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'] }]).length, 1);
    const urls = [{ verbs: ['get'], nonResourceURLs: ['/apis/*'] }];
    assert.deepEqual(uncovered(urls, [{ verbs: ['get'], nonResourceURLs: ['/apis/apps', '/apis/*'] }]), []);
    assert.equal(uncovered(urls, [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }]).length, 1);
  });

  it('compacts missing atoms by target', () => {
    const missing = uncovered([], [{ verbs: ['get', 'list'], apiGroups: ['apps'], resources: ['deployments', 'replicasets'] }]);
    assert.deepEqual(compactRules(missing), [
      { verbs: ['get', 'list'], apiGroups: ['apps'], resources: ['deployments'] },
      { verbs: ['get', 'list'], apiGroups: ['apps'], resources: ['replicasets'] },
    ]);
  });
});
