import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../machinery/object.js';
import { canAdmitPod } from './admission.js';

function pod(name: string, ports: object[]): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'ns', uid: name },
    spec: { containers: [{ name: 'c', image: 'x', ports }] },
  };
}

test('a pod whose host port another admitted pod holds is rejected as upstream’s NodePorts predicate', () => {
  const web = pod('web', [{ containerPort: 80, hostPort: 8080 }]);
  assert.deepEqual(
    canAdmitPod(pod('again', [{ containerPort: 81, hostPort: 8080, protocol: 'TCP' }]), () => [web]),
    {
      admit: false,
      reason: 'NodePorts',
      message: 'Predicate NodePorts failed',
    },
  );
  assert.equal(canAdmitPod(pod('udp', [{ containerPort: 81, hostPort: 8080, protocol: 'UDP' }]), () => [web]).admit, true);
  assert.equal(canAdmitPod(pod('other', [{ containerPort: 81, hostPort: 8081 }]), () => [web]).admit, true);
  assert.equal(canAdmitPod(pod('plain', [{ containerPort: 80 }]), () => [web]).admit, true);
  const onIP = pod('ip', [{ containerPort: 80, hostPort: 9090, hostIP: '127.0.0.1' }]);
  assert.equal(canAdmitPod(pod('ip2', [{ containerPort: 80, hostPort: 9090, hostIP: '127.0.0.2' }]), () => [onIP]).admit, true);
  assert.equal(canAdmitPod(pod('any', [{ containerPort: 80, hostPort: 9090 }]), () => [onIP]).admit, false);
});

test('only safe sysctls are admitted, and network ones not on the host network', () => {
  const withSysctls = (sysctls: object[], spec: object = {}): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 's', namespace: 'ns' },
    spec: { containers: [{ name: 'c', image: 'x' }], securityContext: { sysctls }, ...spec },
  });
  assert.equal(canAdmitPod(withSysctls([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }]), () => []).admit, true);
  assert.equal(canAdmitPod(withSysctls([{ name: 'kernel/shm_rmid_forced', value: '1' }]), () => []).admit, true);
  assert.deepEqual(
    canAdmitPod(withSysctls([{ name: 'kernel.msgmax', value: '1' }]), () => []),
    {
      admit: false,
      reason: 'SysctlForbidden',
      message: 'forbidden sysctl: "kernel.msgmax" not allowlisted',
    },
  );
  assert.deepEqual(
    canAdmitPod(withSysctls([{ name: 'net.ipv4.tcp_syncookies', value: '1' }], { hostNetwork: true }), () => []),
    {
      admit: false,
      reason: 'SysctlForbidden',
      message: 'forbidden sysctl: "net.ipv4.tcp_syncookies" not allowed with host Net enabled',
    },
  );
});
