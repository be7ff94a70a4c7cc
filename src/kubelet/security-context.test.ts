import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../machinery/object.js';
import { CreateContainerConfigError } from './container-config-error.js';
import {
  effectiveSecurityContext,
  imageUser,
  linuxContainerSecurityContext,
  linuxSandboxSecurityContext,
  seccompProfile,
  verifyRunAsNonRoot,
} from './security-context.js';

type Obj = Record<string, unknown>;

function pod(containers: Obj[], securityContext?: Obj): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns', uid: 'u-1' },
    spec: { containers, ...(securityContext ? { securityContext } : {}) },
  };
}

test('the container’s fields override the pod’s', () => {
  const c = { name: 'c', securityContext: { runAsUser: 2000, privileged: true, capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] } } };
  const p = pod([c], { runAsUser: 1000, runAsGroup: 3000, runAsNonRoot: true, fsGroup: 4000, supplementalGroups: [5000, 5001] });
  assert.deepEqual(effectiveSecurityContext(p, c), {
    runAsUser: 2000,
    runAsGroup: 3000,
    runAsNonRoot: true,
    privileged: true,
    capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] },
  });
  assert.deepEqual(linuxContainerSecurityContext(p, c), {
    privileged: true,
    readonlyRootfs: false,
    noNewPrivs: false,
    supplementalGroups: [4000, 5000, 5001],
    seccomp: { profileType: 'Unconfined' },
    capabilities: { addCapabilities: ['NET_ADMIN'], dropCapabilities: ['ALL'] },
    runAsUser: 2000,
    runAsGroup: 3000,
  });
  assert.deepEqual(linuxSandboxSecurityContext(p), {
    privileged: true,
    supplementalGroups: [4000, 5000, 5001],
    seccomp: { profileType: 'Unconfined' },
    runAsUser: 1000,
    runAsGroup: 3000,
  });
});

test('allowPrivilegeEscalation: false sets no_new_privs; readOnlyRootFilesystem a read-only rootfs', () => {
  const c = { name: 'c', securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true } };
  const sc = linuxContainerSecurityContext(pod([c]), c);
  assert.equal(sc.noNewPrivs, true);
  assert.equal(sc.readonlyRootfs, true);
  assert.equal(sc.runAsUser, undefined);
  const open = { name: 'c', securityContext: { allowPrivilegeEscalation: true } };
  assert.equal(linuxContainerSecurityContext(pod([open]), open).noNewPrivs, false);
});

test('the image’s user from ImageStatus: a uid, a name, or root when none is set', () => {
  const base = { id: 'sha256:x', repoTags: [], repoDigests: [], size: 1, pinned: false };
  assert.deepEqual(imageUser({ ...base, uid: 1000 }), { uid: 1000 });
  assert.deepEqual(imageUser({ ...base, username: 'nobody' }), { username: 'nobody' });
  assert.deepEqual(imageUser(base), { uid: 0 });
  assert.deepEqual(imageUser(undefined), { uid: 0 });
});

test('runAsNonRoot: upstream’s messages', () => {
  const c = { name: 'app' };
  const refuse = (p: KubeObject, user: { uid?: number; username?: string }, message: string) =>
    assert.throws(
      () => verifyRunAsNonRoot(p, c, user),
      (err: unknown) => err instanceof CreateContainerConfigError && err.message === message,
    );
  const nonRoot = pod([c], { runAsNonRoot: true });
  refuse(nonRoot, { uid: 0 }, 'container has runAsNonRoot and image will run as root (pod: "p_ns(u-1)", container: app)');
  refuse(
    nonRoot,
    { username: 'web' },
    'container has runAsNonRoot and image has non-numeric user (web), cannot verify user is non-root (pod: "p_ns(u-1)", container: app)',
  );
  refuse(
    pod([c], { runAsNonRoot: true, runAsUser: 0 }),
    { uid: 1000 },
    'container\'s runAsUser breaks non-root policy (pod: "p_ns(u-1)", container: app)',
  );
  verifyRunAsNonRoot(nonRoot, c, { uid: 1000 });
  verifyRunAsNonRoot(pod([c], { runAsNonRoot: true, runAsUser: 1000 }), c, { uid: 0 });
  verifyRunAsNonRoot(pod([c]), c, { uid: 0 });
  verifyRunAsNonRoot(nonRoot, { name: 'app', securityContext: { runAsNonRoot: false } }, { uid: 0 });
});

test('seccomp: the container’s profile, else the pod’s, else Unconfined; Localhost under the profile root', () => {
  const plain = { name: 'c' };
  const own = { name: 'c', securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'audit.json' } } };
  const p = pod([plain], { seccompProfile: { type: 'RuntimeDefault' } });
  assert.deepEqual(seccompProfile(p, plain, '/data/seccomp'), { profileType: 'RuntimeDefault' });
  assert.deepEqual(seccompProfile(p, own, '/data/seccomp'), { profileType: 'Localhost', localhostRef: '/data/seccomp/audit.json' });
  assert.deepEqual(seccompProfile(pod([plain]), plain, ''), { profileType: 'Unconfined' });
  assert.deepEqual(linuxSandboxSecurityContext(p).seccomp, { profileType: 'RuntimeDefault' });
  assert.throws(
    () => seccompProfile(pod([plain], { seccompProfile: { type: 'Localhost' } }), plain, ''),
    (err: unknown) =>
      err instanceof CreateContainerConfigError && err.message === 'localhostProfile must be set if seccompProfile type is Localhost.',
  );
});
