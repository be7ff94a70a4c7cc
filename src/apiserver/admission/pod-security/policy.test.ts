import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluatePod, policyFromLabels, violationsText } from './policy.js';

const restrictedContainer = {
  name: 'c',
  image: 'busybox',
  securityContext: {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
  },
};

const text = (level: 'baseline' | 'restricted', spec: Record<string, unknown>, meta: Record<string, unknown> = {}): string =>
  violationsText(evaluatePod({ level, version: 'latest' }, meta, spec));

describe('Pod Security Standards checks', () => {
  it('a plain pod violates restricted with upstream’s message, and passes baseline', () => {
    const spec = { containers: [{ name: 'nginx', image: 'nginx' }] };
    assert.equal(
      text('restricted', spec),
      'allowPrivilegeEscalation != false (container "nginx" must set securityContext.allowPrivilegeEscalation=false), ' +
        'unrestricted capabilities (container "nginx" must set securityContext.capabilities.drop=["ALL"]), ' +
        'runAsNonRoot != true (pod or container "nginx" must set securityContext.runAsNonRoot=true), ' +
        'seccompProfile (pod or container "nginx" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    );
    assert.equal(text('baseline', spec), '');
    assert.equal(text('restricted', { containers: [restrictedContainer] }), '');
  });

  it('pod-level runAsNonRoot and seccompProfile cover the containers', () => {
    const c = {
      name: 'c',
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } },
    };
    const spec = { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'Localhost' } }, containers: [c] };
    assert.equal(text('restricted', spec), '');
    const bad = { securityContext: { runAsNonRoot: false, seccompProfile: { type: 'Unconfined' } }, containers: [c] };
    assert.match(text('restricted', bad), /runAsNonRoot != true \(pod must not set securityContext.runAsNonRoot=false\)/);
    assert.match(text('restricted', bad), /seccompProfile \(pod must not set securityContext.seccompProfile.type to "Unconfined"\)/);
  });

  it('baseline: privileged, host namespaces, capabilities, hostPath, hostPort, procMount, sysctls, SELinux, hostProcess', () => {
    const spec = {
      hostNetwork: true,
      hostPID: true,
      securityContext: {
        sysctls: [
          { name: 'kernel.msgmax', value: '1' },
          { name: 'net.ipv4.tcp_syncookies', value: '1' },
        ],
      },
      volumes: [{ name: 'root', hostPath: { path: '/' } }],
      initContainers: [{ name: 'i', securityContext: { privileged: true } }],
      containers: [
        {
          name: 'a',
          ports: [{ containerPort: 80, hostPort: 80 }],
          securityContext: { privileged: true, capabilities: { add: ['NET_ADMIN', 'CHOWN'] } },
        },
        { name: 'b', securityContext: { procMount: 'Unmasked', seLinuxOptions: { type: 'spc_t' }, windowsOptions: { hostProcess: true } } },
      ],
    };
    assert.equal(
      text('baseline', spec),
      [
        'non-default capabilities (container "a" must not include "NET_ADMIN" in securityContext.capabilities.add)',
        'host namespaces (hostNetwork, hostPID)',
        'hostPath volumes (hostPath volume "root")',
        'hostPort (container "a" uses hostPort 80)',
        'privileged (containers "i", "a" must not set securityContext.privileged=true)',
        'procMount (container "b" must not set securityContext.procMount to "Unmasked")',
        'seLinuxOptions (container "b" set forbidden securityContext.seLinuxOptions: type "spc_t")',
        'forbidden sysctls (kernel.msgmax)',
        'hostProcess (container "b" must not set securityContext.windowsOptions.hostProcess=true)',
      ].join(', '),
    );
  });

  it('AppArmor and seccomp Unconfined are baseline violations', () => {
    const spec = {
      securityContext: { seccompProfile: { type: 'Unconfined' } },
      containers: [{ name: 'c', securityContext: { appArmorProfile: { type: 'Unconfined' } } }],
    };
    const meta = { annotations: { 'container.apparmor.security.beta.kubernetes.io/c': 'unconfined' } };
    assert.equal(
      text('baseline', spec, meta),
      'forbidden AppArmor profiles (container "c" must not set securityContext.appArmorProfile.type to "Unconfined", container.apparmor.security.beta.kubernetes.io/c="unconfined"), ' +
        'seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")',
    );
  });

  it('restricted: volume types, runAsUser=0, added capabilities; user namespaces may run as root', () => {
    const c = {
      ...restrictedContainer,
      securityContext: { ...restrictedContainer.securityContext, runAsUser: 0, capabilities: { drop: ['ALL'], add: ['SYS_TIME'] } },
    };
    const spec = {
      volumes: [
        { name: 'cfg', configMap: { name: 'x' } },
        { name: 'nfs', nfs: { server: 's', path: '/' } },
      ],
      containers: [c],
    };
    const out = text('restricted', spec);
    assert.match(out, /restricted volume types \(volume "nfs" uses restricted volume type "nfs"\)/);
    assert.match(out, /runAsUser=0 \(container "c" must not set runAsUser=0\)/);
    assert.match(out, /unrestricted capabilities \(container "c" must not include "SYS_TIME" in securityContext.capabilities.add\)/);
    assert.match(out, /non-default capabilities/, 'restricted includes baseline');
    assert.doesNotMatch(text('restricted', { ...spec, hostUsers: false }), /runAsUser=0/);
  });

  it('reads the policy of each mode from the namespace labels', () => {
    const p = policyFromLabels({
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/enforce-version': 'v1.30',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
    assert.deepEqual(p, {
      enforce: { level: 'baseline', version: 'v1.30' },
      audit: { level: 'privileged', version: 'latest' },
      warn: { level: 'restricted', version: 'latest' },
    });
    assert.equal(policyFromLabels({ 'pod-security.kubernetes.io/enforce': 'bogus' }).enforce.level, 'restricted');
  });

  it('a pinned version leaves out the checks added after it', () => {
    const spec = { containers: [{ name: 'c', securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true } }] };
    assert.equal(violationsText(evaluatePod({ level: 'restricted', version: 'v1.18' }, {}, spec)), '');
    assert.deepEqual(
      evaluatePod({ level: 'restricted', version: 'v1.22' }, {}, spec).map((v) => v.reason),
      ['unrestricted capabilities', 'seccompProfile'],
    );
  });
});
