import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinResources } from '../../api/catalog.js';
import type { KubeObject } from '../../machinery/object.js';
import { newSelection, objectFields } from './selection.js';

const type = (plural: string, group = '') => {
  const t = builtinResources.find((r) => r.plural === plural && r.group === group);
  assert.ok(t, plural);
  return t;
};

const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'ns' },
  spec: { nodeName: 'n1', schedulerName: 'default-scheduler' },
  status: { phase: 'Running' },
};

test('field labels: metadata.name and metadata.namespace plus the kind’s own', () => {
  assert.deepEqual(
    { ...objectFields(type('pods'), pod) },
    {
      'spec.nodeName': 'n1',
      'spec.restartPolicy': '',
      'spec.schedulerName': 'default-scheduler',
      'spec.serviceAccountName': '',
      'spec.hostNetwork': 'false',
      'status.phase': 'Running',
      'status.podIP': '',
      'status.nominatedNodeName': '',
      'metadata.name': 'p',
      'metadata.namespace': 'ns',
    },
  );
  assert.equal(objectFields(type('pods'), pod), objectFields(type('pods'), pod), 'computed once per object');
  const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' }, status: { phase: 'Active' } };
  assert.deepEqual(
    { ...objectFields(type('namespaces'), ns) },
    { 'status.phase': 'Active', 'metadata.name': 'ns' },
    'no namespace for a cluster-scoped kind',
  );
  const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ns' } };
  assert.deepEqual({ ...objectFields(type('configmaps'), cm) }, { 'metadata.name': 'c', 'metadata.namespace': 'ns' });
});

test('a field selector matches on those labels', () => {
  const pods = type('pods');
  assert.ok(newSelection(pods, undefined, 'spec.nodeName=n1,metadata.namespace=ns').matches(pod));
  assert.ok(newSelection(pods, undefined, 'spec.nodeName!=').matches(pod));
  assert.ok(!newSelection(pods, undefined, 'status.phase=Pending').matches(pod));
  assert.ok(!newSelection(pods, undefined, 'metadata.name=q').matches(pod));
  assert.throws(() => newSelection(pods, undefined, 'spec.image=x'), /field label not supported: spec.image/);
});
