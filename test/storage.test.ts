/**
 * PersistentVolumes, claims and StorageClasses with real kubectl against `k8ts server --runtime
 * fake`: the default class local-path, static binding (smallest fit, class, volumeName), a
 * WaitForFirstConsumer claim provisioned on the node its pod lands on, a local PV whose node
 * affinity places the pod, expansion, and reclaim Delete / Retain.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Kubectl, kubectl, ok } from './support/kubectl.js';
import { startServer, type TestServer } from './support/server.js';
import { eventually as poll } from './support/wait.js';

let server: TestServer;
let cache: string;
let k: Kubectl;

before(async () => {
  server = await startServer({ args: ['--runtime', 'fake', '--fake-nodes', '2'] });
  cache = await mkdtemp(join(tmpdir(), 'k8ts-storage-'));
  k = kubectl('1.33', server.kubeconfig, cache);
});

after(async () => {
  await server?.stop();
  await server?.cleanup();
  if (cache) await rm(cache, { recursive: true, force: true });
});

/** eventually, with what the server said when it times out. */
async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  await poll(what, check).catch(async (err: Error) => {
    console.error(ok(await k(['get', 'events', '-A']), 'events'), server.stderr().slice(-4000));
    throw err;
  });
}

const apply = async (yaml: string) => ok(await k(['apply', '-f', '-'], { input: yaml }), 'apply');
const get = async (...args: string[]) => ok(await k(['get', ...args]), `get ${args.join(' ')}`);
const jsonpath = (what: string, path: string) => get(what, '-o', `jsonpath={${path}}`);

function pv(name: string, size: string, extra: string): string {
  return `apiVersion: v1
kind: PersistentVolume
metadata: {name: ${name}}
spec:
  capacity: {storage: ${size}}
  accessModes: [ReadWriteOnce]
${extra}
---
`;
}

function pvc(name: string, size: string, extra = ''): string {
  return `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: ${name}}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: ${size}}}
${extra}
---
`;
}

function pod(name: string, claim: string): string {
  return `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  terminationGracePeriodSeconds: 0
  containers: [{name: main, image: busybox, volumeMounts: [{name: data, mountPath: /data}]}]
  volumes: [{name: data, persistentVolumeClaim: {claimName: ${claim}}}]
---
`;
}

describe('storage on simulated nodes', { timeout: 240_000 }, () => {
  it('installs local-path as the default StorageClass', async () => {
    await eventually('2 Ready nodes', async () => ((await get('nodes')).match(/\sReady\s/g) ?? []).length === 2);
    assert.match(await get('sc'), /local-path \(default\)\s+k8ts\.io\/local-path\s+Delete\s+WaitForFirstConsumer\s+true\s/);
  });

  it('binds static volumes: the smallest that fits, by class and by name; a claim without class waits', async () => {
    const hostPath = (p: string) => `  storageClassName: manual\n  hostPath: {path: /tmp/${p}}`;
    await apply(
      pv('pv-small', '1Gi', hostPath('small')) +
        pv('pv-big', '5Gi', hostPath('big')) +
        pv('pv-mid', '3Gi', hostPath('mid')) +
        pv('pv-named', '1Gi', `  persistentVolumeReclaimPolicy: Delete\n  storageClassName: ""\n  hostPath: {path: /tmp/named}`) +
        pvc('claim-a', '2Gi', '  storageClassName: manual') +
        pvc('claim-named', '500Mi', '  storageClassName: ""\n  volumeName: pv-named') +
        pvc('claim-none', '100Gi', '  storageClassName: ""'),
    );
    await eventually('claim-a and claim-named Bound', async () => {
      const out = await get('pvc');
      return /claim-a\s+Bound\s+pv-mid\s+3Gi\s+RWO\s+manual\s/.test(out) && /claim-named\s+Bound\s+pv-named\s+1Gi\s+RWO\s/.test(out);
    });
    const pvs = await get('pv');
    assert.match(pvs, /pv-mid\s+3Gi\s+RWO\s+Retain\s+Bound\s+default\/claim-a\s+manual\s+<unset>\s/);
    assert.match(pvs, /pv-small\s+1Gi\s+RWO\s+Retain\s+Available\s+manual\s/);
    assert.match(await get('pvc', 'claim-none'), /claim-none\s+Pending\s/);
    const resize = await k(['patch', 'pvc', 'claim-a', '-p', '{"spec":{"resources":{"requests":{"storage":"3Gi"}}}}']);
    assert.match(
      resize.stderr,
      /persistentvolumeclaims "claim-a" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize/,
    );
  });

  it('reclaims: Retain leaves a Released volume, Delete without a provisioner fails', async () => {
    ok(await k(['delete', 'pvc', 'claim-a', 'claim-named', '--wait=true', '--timeout=30s']), 'delete claims');
    await eventually('pv-mid Released and pv-named Failed', async () => {
      const out = await get('pv');
      return (
        /pv-mid\s+3Gi\s+RWO\s+Retain\s+Released\s+default\/claim-a\s/.test(out) && /pv-named\s+1Gi\s+RWO\s+Delete\s+Failed\s/.test(out)
      );
    });
  });

  it('provisions a WaitForFirstConsumer claim of the default class on the node its pod lands on', async () => {
    await apply(pvc('data', '1Gi'));
    assert.equal(await jsonpath('pvc/data', '.spec.storageClassName'), 'local-path');
    assert.match(await get('pvc', 'data'), /data\s+Pending\s/);
    await apply(pod('writer', 'data'));
    await eventually('pod writer Running', async () => (await jsonpath('pod/writer', '.status.phase')) === 'Running');
    const node = await jsonpath('pod/writer', '.spec.nodeName');
    const uid = await jsonpath('pvc/data', '.metadata.uid');
    await eventually('claim data Bound', async () => (await jsonpath('pvc/data', '.status.phase')) === 'Bound');
    assert.equal(await jsonpath('pvc/data', '.metadata.annotations.volume\\.kubernetes\\.io/selected-node'), node);
    assert.equal(await jsonpath('pvc/data', '.spec.volumeName'), `pvc-${uid}`);
    const volume = JSON.parse(await get(`pv/pvc-${uid}`, '-o', 'json')) as {
      metadata: { annotations: Record<string, string> };
      spec: Record<string, unknown>;
    };
    assert.equal(volume.metadata.annotations['pv.kubernetes.io/provisioned-by'], 'k8ts.io/local-path');
    assert.deepEqual(volume.spec['hostPath'], { path: `/var/lib/k8ts/storage/pvc-${uid}_default_data`, type: 'DirectoryOrCreate' });
    assert.deepEqual(volume.spec['nodeAffinity'], {
      required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] },
    });
    assert.match(await get('pv', `pvc-${uid}`), new RegExp(`pvc-${uid}\\s+1Gi\\s+RWO\\s+Delete\\s+Bound\\s+default/data\\s+local-path\\s`));
  });

  it('expands a bound local-path claim', async () => {
    const uid = await jsonpath('pvc/data', '.metadata.uid');
    ok(await k(['patch', 'pvc', 'data', '-p', '{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}']), 'patch');
    await eventually('PV and claim at 2Gi', async () => {
      return (
        (await jsonpath(`pv/pvc-${uid}`, '.spec.capacity.storage')) === '2Gi' &&
        (await jsonpath('pvc/data', '.status.capacity.storage')) === '2Gi'
      );
    });
  });

  it('places a pod on the node of its local PV', async () => {
    await apply(
      `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: local-storage}
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: WaitForFirstConsumer
---
` +
        pv(
          'local-pv',
          '2Gi',
          `  storageClassName: local-storage
  local: {path: /mnt/disks/ssd1}
  nodeAffinity:
    required:
      nodeSelectorTerms: [{matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [fake-node-1]}]}]`,
        ) +
        pvc('local-claim', '1Gi', '  storageClassName: local-storage') +
        pod('local-user', 'local-claim'),
    );
    await eventually('local-claim Bound to local-pv', async () =>
      /local-claim\s+Bound\s+local-pv\s+2Gi\s/.test(await get('pvc', 'local-claim')),
    );
    assert.equal(await jsonpath('pod/local-user', '.spec.nodeName'), 'fake-node-1');
    assert.equal(await jsonpath('pv/local-pv', '.metadata.annotations.pv\\.kubernetes\\.io/bound-by-controller'), 'yes');
  });

  it('deletes a provisioned volume with its claim (reclaim Delete)', async () => {
    const uid = await jsonpath('pvc/data', '.metadata.uid');
    ok(await k(['delete', 'pod', 'writer', '--wait=true', '--timeout=30s']), 'delete pod');
    ok(await k(['delete', 'pvc', 'data', '--wait=true', '--timeout=30s']), 'delete claim');
    await eventually('the provisioned PV deleted', async () => !(await get('pv')).includes(`pvc-${uid}`));
  });

  it('records upstream’s events for the claims', async () => {
    // one writer per component writes events in order, and retries stall it: checked last, once
    interface EventList {
      items: { involvedObject: { name: string }; type: string; reason: string; message: string; source: { component?: string } }[];
    }
    const want = [
      [
        'claim-none',
        'Normal FailedBinding persistentvolume-controller',
        /^no persistent volumes available for this claim and no storage class is set$/,
      ],
      ['data', 'Normal WaitForFirstConsumer persistentvolume-controller', /^waiting for first consumer to be created before binding$/],
      [
        'data',
        'Normal ExternalProvisioning persistentvolume-controller',
        /^Waiting for a volume to be created either by the external provisioner 'k8ts\.io\/local-path'/,
      ],
      ['data', 'Normal ProvisioningSucceeded k8ts.io/local-path', /^Successfully provisioned volume pvc-/],
    ] as const;
    let missing: string[] = [];
    await poll(
      'the events',
      async () => {
        const events = (JSON.parse(await get('events', '-o', 'json')) as EventList).items;
        missing = want
          .filter(
            ([name, what, message]) =>
              !events.some(
                (e) => e.involvedObject.name === name && `${e.type} ${e.reason} ${e.source.component}` === what && message.test(e.message),
              ),
          )
          .map(([name, what]) => `${name}: ${what}`);
        return missing.length === 0;
      },
      120_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}; missing ${missing.join('; ')}`);
    });
  });
});
