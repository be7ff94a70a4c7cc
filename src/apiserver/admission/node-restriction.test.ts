import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResourceType } from '../../api/resource.js';
import { isStatusError } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import type { WatchCache } from '../watch/cache.js';
import type { AdmissionAttributes, Operation } from './interface.js';
import { NodeRestriction } from './node-restriction.js';
import { generateKeyPair, signingAlgorithmFor } from '../../pki/keys.js';
import { x509 } from '../../pki/x509.js';

const type = (plural: string, group = '') => ({ group, version: 'v1', plural }) as unknown as ResourceType;
const cache = (prefix: string, objects: Record<string, KubeObject>) =>
  ({ prefix, get: (key: string) => objects[key] }) as unknown as WatchCache;

const mine: KubeObject = { metadata: { name: 'mine', namespace: 'ns', uid: 'u1', labels: { app: 'a' } }, spec: { nodeName: 'n1' } };
const theirs: KubeObject = { metadata: { name: 'theirs', namespace: 'ns', uid: 'u2' }, spec: { nodeName: 'n2' } };
const node1: KubeObject = { metadata: { name: 'n1', uid: 'node-uid' }, spec: {} };
const plugin = new NodeRestriction({
  pods: () => cache('/pods/', { '/pods/ns/mine': mine, '/pods/ns/theirs': theirs }),
  nodes: () => cache('/nodes/', { '/nodes/n1': node1 }),
});
const n1 = { name: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] };

function attrs(operation: Operation, t: ResourceType, more: Partial<AdmissionAttributes>): AdmissionAttributes {
  return { operation, type: t, namespace: '', name: '', subresource: '', dryRun: false, user: n1, ...more };
}

function refused(a: AdmissionAttributes, message: string): void {
  assert.throws(
    () => plugin.validate(a),
    (err: unknown) => isStatusError(err, 'Forbidden') && err.status.message === message,
  );
}

const mirror = (more: Record<string, unknown> = {}): KubeObject => ({
  metadata: {
    name: 'static-n1',
    namespace: 'kube-system',
    annotations: { 'kubernetes.io/config.mirror': 'hash' },
    ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'n1', uid: 'node-uid', controller: true }],
  },
  spec: { nodeName: 'n1', containers: [{ name: 'c' }], ...more },
});

describe('NodeRestriction admission', () => {
  it('lets users that are not nodes through, and refuses a node of unknown name', () => {
    plugin.validate(attrs('UPDATE', type('nodes'), { name: 'n2', user: { name: 'alice', groups: [] } }));
    refused(
      attrs('UPDATE', type('nodes'), { name: 'n2', user: { name: 'x', groups: ['system:nodes'] } }),
      'nodes "n2" is forbidden: could not determine node from user "x"',
    );
  });

  it('lets a node modify its own Node only, without taint changes or restricted labels', () => {
    const node = (labels: Record<string, string>, taints: unknown[] = []): KubeObject => ({
      metadata: { name: 'n1', labels },
      spec: { taints },
    });
    plugin.validate(
      attrs('CREATE', type('nodes'), { object: node({ 'kubernetes.io/hostname': 'n1', 'node.kubernetes.io/instance-type': 'k8ts' }) }),
    );
    refused(
      attrs('UPDATE', type('nodes'), { name: 'n2', object: node({}), oldObject: node({}) }),
      'nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"',
    );
    refused(
      attrs('CREATE', type('nodes'), { object: node({ 'node-restriction.kubernetes.io/trusted': 'yes', 'example.com/free': 'x' }) }),
      'nodes "n1" is forbidden: node "n1" is not allowed to set the following labels: node-restriction.kubernetes.io/trusted',
    );
    refused(
      attrs('UPDATE', type('nodes'), { name: 'n1', object: node({}, [{ key: 'k', effect: 'NoSchedule' }]), oldObject: node({}) }),
      'nodes "n1" is forbidden: node "n1" is not allowed to modify taints',
    );
    refused(
      attrs('UPDATE', type('nodes'), { name: 'n1', object: node({ 'node-role.kubernetes.io/control-plane': '' }), oldObject: node({}) }),
      'nodes "n1" is forbidden: is not allowed to modify labels: node-role.kubernetes.io/control-plane',
    );
    plugin.validate(attrs('UPDATE', type('nodes'), { name: 'n1', subresource: 'status', object: node({ a: 'b' }), oldObject: node({}) }));
  });

  it('lets a node create only mirror pods bound to and controlled by itself, referring to nothing', () => {
    const pods = type('pods');
    plugin.validate(attrs('CREATE', pods, { namespace: 'kube-system', object: mirror() }));
    refused(
      attrs('CREATE', pods, { namespace: 'ns', object: { metadata: { name: 'p' }, spec: { nodeName: 'n1' } } }),
      'pods "p" is forbidden: pod does not have "kubernetes.io/config.mirror" annotation, node "n1" can only create mirror pods',
    );
    refused(
      attrs('CREATE', pods, { object: mirror({ nodeName: 'n2' }) }),
      'pods "static-n1" is forbidden: node "n1" can only create pods with spec.nodeName set to itself',
    );
    refused(
      attrs('CREATE', pods, { object: mirror({ serviceAccountName: 'default' }) }),
      'pods "static-n1" is forbidden: node "n1" can not create pods that reference a service account',
    );
    refused(
      attrs('CREATE', pods, { object: mirror({ volumes: [{ name: 'v', secret: { secretName: 's' } }] }) }),
      'pods "static-n1" is forbidden: node "n1" can not create pods that reference secrets',
    );
    const wrongUID = mirror();
    (wrongUID.metadata.ownerReferences ?? [])[0] = { apiVersion: 'v1', kind: 'Node', name: 'n1', uid: 'old', controller: true };
    refused(attrs('CREATE', pods, { object: wrongUID }), 'pods "static-n1" is forbidden: node n1 UID mismatch: expected node-uid got old');
  });

  it('lets a node delete, evict and write the status of its own pods only', () => {
    const pods = type('pods');
    plugin.validate(attrs('DELETE', pods, { namespace: 'ns', name: 'mine', oldObject: mine }));
    refused(
      attrs('DELETE', pods, { namespace: 'ns', name: 'theirs', oldObject: theirs }),
      'pods "theirs" is forbidden: node "n1" can only delete pods with spec.nodeName set to itself',
    );
    plugin.validate(attrs('UPDATE', pods, { namespace: 'ns', name: 'mine', subresource: 'status', object: mine, oldObject: mine }));
    refused(
      attrs('UPDATE', pods, { namespace: 'ns', name: 'theirs', subresource: 'status', object: theirs, oldObject: theirs }),
      'pods "theirs" is forbidden: node "n1" can only update pod status for pods with spec.nodeName set to itself',
    );
    const relabeled = { ...mine, metadata: { ...mine.metadata, labels: { app: 'b' } } };
    refused(
      attrs('UPDATE', pods, { namespace: 'ns', name: 'mine', subresource: 'status', object: relabeled, oldObject: mine }),
      'pods "mine" is forbidden: node "n1" cannot update labels through pod status',
    );
    plugin.validate(
      attrs('CREATE', pods, { namespace: 'ns', name: 'mine', subresource: 'eviction', object: { metadata: { name: 'mine' } } }),
    );
    refused(
      attrs('CREATE', pods, { namespace: 'ns', name: 'theirs', subresource: 'eviction', object: { metadata: { name: 'theirs' } } }),
      'pods "theirs" is forbidden: node n1 can only evict pods with spec.nodeName set to itself',
    );
    refused(
      attrs('UPDATE', pods, { namespace: 'ns', name: 'mine', object: mine, oldObject: mine }),
      'pods "mine" is forbidden: unexpected operation "UPDATE", node "n1" can only create and delete mirror pods',
    );
  });

  it('lets a node ask tokens bound to its own pods only', () => {
    const token = (boundObjectRef: unknown) =>
      attrs('CREATE', type('serviceaccounts'), {
        namespace: 'ns',
        name: 'sa',
        subresource: 'token',
        object: { metadata: {}, spec: { boundObjectRef } },
      });
    plugin.validate(token({ apiVersion: 'v1', kind: 'Pod', name: 'mine', uid: 'u1' }));
    refused(token(undefined), 'serviceaccounts "sa" is forbidden: node requested token not bound to a pod');
    refused(
      token({ apiVersion: 'v1', kind: 'Pod', name: 'mine' }),
      'serviceaccounts "sa" is forbidden: node requested token with a pod binding without a uid',
    );
    refused(
      token({ apiVersion: 'v1', kind: 'Pod', name: 'theirs', uid: 'u2' }),
      'serviceaccounts "sa" is forbidden: node requested token bound to a pod scheduled on a different node',
    );
    refused(
      token({ apiVersion: 'v1', kind: 'Pod', name: 'mine', uid: 'stale' }),
      'serviceaccounts "sa" is forbidden: the UID in the bound object reference (stale) does not match the UID in record. The object might have been deleted and then recreated',
    );
  });

  it('lets a node use its own lease only, and update claims’ status capacity and conditions only', () => {
    const leases = type('leases', 'coordination.k8s.io');
    plugin.validate(attrs('CREATE', leases, { namespace: 'kube-node-lease', object: { metadata: { name: 'n1' } } }));
    refused(
      attrs('CREATE', leases, { namespace: 'kube-node-lease', object: { metadata: { name: 'n2' } } }),
      'leases.coordination.k8s.io "n2" is forbidden: can only access node lease with the same name as the requesting node',
    );
    const claim = (labels: Record<string, string>, capacity: string): KubeObject => ({
      metadata: { name: 'c', namespace: 'ns', labels },
      spec: {},
      status: { capacity: { storage: capacity } },
    });
    const pvcs = type('persistentvolumeclaims');
    plugin.validate(attrs('UPDATE', pvcs, { name: 'c', subresource: 'status', object: claim({}, '2Gi'), oldObject: claim({}, '1Gi') }));
    refused(
      attrs('UPDATE', pvcs, { name: 'c', subresource: 'status', object: claim({ a: 'b' }, '2Gi'), oldObject: claim({}, '1Gi') }),
      'persistentvolumeclaims "c" is forbidden: node "n1" is not allowed to update fields other than status.capacity and status.conditions: metadata',
    );
    refused(
      attrs('UPDATE', pvcs, { name: 'c', object: claim({}, '1Gi'), oldObject: claim({}, '1Gi') }),
      'persistentvolumeclaims "c" is forbidden: may only update PVC status',
    );
  });

  it('lets a node request kubelet certificates for itself only', async () => {
    const keys = await generateKeyPair();
    const request = async (cn: string) => {
      const csr = await x509.Pkcs10CertificateRequestGenerator.create({
        name: `CN=${cn}, O=system:nodes`,
        keys,
        signingAlgorithm: signingAlgorithmFor(keys.privateKey),
      });
      const object = {
        metadata: { name: 'csr' },
        spec: { signerName: 'kubernetes.io/kube-apiserver-client-kubelet', request: Buffer.from(csr.toString('pem')).toString('base64') },
      };
      return attrs('CREATE', type('certificatesigningrequests', 'certificates.k8s.io'), { object });
    };
    plugin.validate(await request('system:node:n1'));
    refused(
      await request('system:node:n2'),
      'certificatesigningrequests.certificates.k8s.io "csr" is forbidden: CN=system:node:n2 common name does not match the node name n1, and cannot request a certificate for a different node',
    );
  });
});
