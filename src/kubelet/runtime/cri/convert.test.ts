import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContainerConfig, PodSandboxConfig } from '../interface.js';
import { containerConfigToWire, imageFromWire, sandboxConfigToWire } from './convert.js';
import { criMethod } from './proto.js';

/** Encodes a request as the client sends it and decodes it as a runtime would read it. */
function roundTrip(name: string, request: object): Record<string, unknown> {
  const { requestType } = criMethod(name === 'PullImage' ? 'ImageService' : 'RuntimeService', name);
  const bytes = requestType.encode(requestType.fromObject(request)).finish();
  return requestType.toObject(requestType.decode(bytes), { longs: String, enums: String }) as Record<string, unknown>;
}

const sandbox: PodSandboxConfig = {
  metadata: { name: 'p', namespace: 'ns', uid: 'u', attempt: 0 },
  hostname: 'p',
  dnsConfig: { servers: ['10.96.0.10'], searches: ['ns.svc.cluster.local'], options: ['ndots:5'] },
  linux: {
    hostPID: true,
    shareProcessNamespace: false,
    hostIPC: false,
    securityContext: { privileged: true, runAsUser: 1000, runAsGroup: 2000, supplementalGroups: [3000] },
  },
};

test('the sandbox’s DNS, namespaces and security context reach the wire', () => {
  const wire = roundTrip('RunPodSandbox', { config: sandboxConfigToWire(sandbox) });
  const config = wire['config'] as Record<string, Record<string, unknown>>;
  assert.deepEqual(config['dnsConfig'], { servers: ['10.96.0.10'], searches: ['ns.svc.cluster.local'], options: ['ndots:5'] });
  assert.deepEqual(config['linux']?.['securityContext'], {
    namespaceOptions: { pid: 'NODE' },
    runAsUser: { value: '1000' },
    runAsGroup: { value: '2000' },
    supplementalGroups: ['3000'],
    privileged: true,
  });
});

test('a container’s resources and security context reach the wire', () => {
  const container: ContainerConfig = {
    metadata: { name: 'c', attempt: 0 },
    image: { image: 'busybox' },
    linux: {
      resources: { cpuShares: 256, cpuPeriod: 100000, cpuQuota: 50000, memoryLimitInBytes: 134217728, oomScoreAdj: -997 },
      securityContext: {
        capabilities: { addCapabilities: ['NET_ADMIN'], dropCapabilities: ['ALL'] },
        runAsUser: 0,
        readonlyRootfs: true,
        noNewPrivs: true,
        supplementalGroups: [],
        seccomp: { profileType: 'Localhost', localhostRef: '/p.json' },
      },
    },
  };
  const wire = roundTrip('CreateContainer', { podSandboxId: 's', config: containerConfigToWire(container, sandbox) });
  const linux = (wire['config'] as Record<string, Record<string, Record<string, unknown>>>)['linux'];
  assert.deepEqual(linux?.['resources'], {
    cpuShares: '256',
    cpuPeriod: '100000',
    cpuQuota: '50000',
    memoryLimitInBytes: '134217728',
    oomScoreAdj: '-997',
  });
  assert.deepEqual(linux?.['securityContext'], {
    capabilities: { addCapabilities: ['NET_ADMIN'], dropCapabilities: ['ALL'] },
    namespaceOptions: { pid: 'NODE' },
    // uid 0 is an Int64Value that is present with the default value (not sent as a field)
    runAsUser: {},
    readonlyRootfs: true,
    noNewPrivs: true,
    seccomp: { profileType: 'Localhost', localhostRef: '/p.json' },
  });
});

test('an image’s user from ImageStatus', () => {
  const base = { id: 'sha256:x', repoTags: [], repoDigests: [], size: '1', spec: null, pinned: false };
  assert.equal(imageFromWire({ ...base, uid: { value: '1000' }, username: '' }).uid, 1000);
  assert.equal(imageFromWire({ ...base, uid: null, username: 'web' }).username, 'web');
  const none = imageFromWire({ ...base, uid: null, username: '' });
  assert.equal(none.uid, undefined);
  assert.equal(none.username, undefined);
});
