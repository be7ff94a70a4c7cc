/**
 * The baseline Pod Security Standard's checks (upstream pod-security-admission policy/check_*.go
 * at their latest versions): host namespaces, hostProcess, privileged, capabilities, hostPath
 * volumes, hostPorts, AppArmor, SELinux, /proc mount, seccomp and sysctls.
 */
import { arr, asObj, objs, str, strMap, type Obj } from '../../../api/core/access.js';
import { allContainers, type Check, containersPhrase, joinQuote, pluralize, securityContext, type Violation } from './check.js';

const DEFAULT_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
]);

const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

/** Names the pod (when `pod`) and the containers for which `bad` holds: `pod and container "a"`. */
export function setters(pod: boolean, spec: Obj, bad: (sc: Obj) => boolean): string | undefined {
  const names = allContainers(spec)
    .filter((c) => bad(securityContext(c)))
    .map((c) => str(c['name']));
  const parts = [...(pod ? ['pod'] : []), ...(names.length > 0 ? [containersPhrase(names)] : [])];
  return parts.length > 0 ? parts.join(' and ') : undefined;
}

function containersWhere(spec: Obj, bad: (c: Obj) => boolean): string[] {
  return allContainers(spec)
    .filter(bad)
    .map((c) => str(c['name']));
}

function violation(reason: string, detail: string | undefined): Violation | undefined {
  return detail === undefined ? undefined : { reason, detail };
}

const hostProcess = (sc: Obj): boolean => asObj(sc['windowsOptions'])?.['hostProcess'] === true;

export const BASELINE_CHECKS: readonly Check[] = [
  {
    id: 'windowsHostProcess',
    check: (_meta, spec) => {
      const who = setters(hostProcess(securityContext(spec)), spec, hostProcess);
      return violation('hostProcess', who && `${who} must not set securityContext.windowsOptions.hostProcess=true`);
    },
  },
  {
    id: 'hostNamespaces',
    check: (_meta, spec) => {
      const used = ['hostIPC', 'hostNetwork', 'hostPID'].filter((f) => spec[f] === true);
      return used.length > 0 ? { reason: 'host namespaces', detail: used.join(', ') } : undefined;
    },
  },
  {
    id: 'privileged',
    check: (_meta, spec) => {
      const bad = containersWhere(spec, (c) => securityContext(c)['privileged'] === true);
      return bad.length > 0
        ? { reason: 'privileged', detail: `${containersPhrase(bad)} must not set securityContext.privileged=true` }
        : undefined;
    },
  },
  {
    id: 'capabilities_baseline',
    check: (_meta, spec) => {
      const forbidden = new Set<string>();
      const bad = containersWhere(spec, (c) => {
        const added = arr(asObj(securityContext(c)['capabilities'])?.['add'])
          .map(str)
          .filter((cap) => !DEFAULT_CAPABILITIES.has(cap));
        for (const cap of added) forbidden.add(cap);
        return added.length > 0;
      });
      if (bad.length === 0) return undefined;
      const caps = joinQuote([...forbidden].sort());
      return {
        reason: 'non-default capabilities',
        detail: `${containersPhrase(bad)} must not include ${caps} in securityContext.capabilities.add`,
      };
    },
  },
  {
    id: 'hostPathVolumes',
    check: (_meta, spec) => {
      const names = objs(spec['volumes'])
        .filter((v) => v['hostPath'] !== undefined)
        .map((v) => str(v['name']));
      if (names.length === 0) return undefined;
      return {
        reason: 'hostPath volumes',
        detail: `${pluralize('hostPath volume', 'hostPath volumes', names.length)} ${joinQuote(names)}`,
      };
    },
  },
  {
    id: 'hostPorts',
    check: (_meta, spec) => {
      const ports = new Set<number>();
      const bad = containersWhere(spec, (c) => {
        const used = objs(c['ports'])
          .map((p) => Number(p['hostPort'] ?? 0))
          .filter((p) => p !== 0);
        for (const p of used) ports.add(p);
        return used.length > 0;
      });
      if (bad.length === 0) return undefined;
      // sorted as strings, as upstream's string set lists them
      const list = [...ports].map(String).sort();
      const detail = `${containersPhrase(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('hostPort', 'hostPorts', list.length)} ${list.join(', ')}`;
      return { reason: 'hostPort', detail };
    },
  },
  {
    id: 'appArmorProfile',
    check: (meta, spec) => {
      const bad: string[] = [];
      const unconfined = (sc: Obj): boolean => asObj(sc['appArmorProfile'])?.['type'] === 'Unconfined';
      const who = setters(unconfined(securityContext(spec)), spec, unconfined);
      if (who) bad.push(`${who} must not set securityContext.appArmorProfile.type to "Unconfined"`);
      const prefix = 'container.apparmor.security.beta.kubernetes.io/';
      for (const [k, v] of Object.entries(strMap(meta['annotations']))) {
        if (k.startsWith(prefix) && v !== 'runtime/default' && !v.startsWith('localhost/')) bad.push(`${k}="${v}"`);
      }
      if (bad.length === 0) return undefined;
      return { reason: pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', bad.length), detail: bad.join(', ') };
    },
  },
  {
    id: 'seLinuxOptions',
    check: (_meta, spec) => {
      const types = new Set<string>();
      let user = false;
      let role = false;
      const bad = (sc: Obj): boolean => {
        const o = asObj(sc['seLinuxOptions']);
        if (!o) return false;
        const type = str(o['type']);
        if (!SELINUX_TYPES.has(type)) types.add(type);
        user ||= Boolean(str(o['user']));
        role ||= Boolean(str(o['role']));
        return !SELINUX_TYPES.has(type) || Boolean(str(o['user'])) || Boolean(str(o['role']));
      };
      const who = setters(bad(securityContext(spec)), spec, bad);
      const found = [
        ...(types.size > 0 ? [`${pluralize('type', 'types', types.size)} ${joinQuote([...types].sort())}`] : []),
        ...(user ? ['user may not be set'] : []),
        ...(role ? ['role may not be set'] : []),
      ];
      return violation('seLinuxOptions', who && `${who} set forbidden securityContext.seLinuxOptions: ${found.join('; ')}`);
    },
  },
  {
    id: 'procMount',
    check: (_meta, spec) => {
      if (spec['hostUsers'] === false) return undefined;
      const values = new Set<string>();
      const bad = containersWhere(spec, (c) => {
        const pm = str(securityContext(c)['procMount']);
        if (pm && pm !== 'Default') values.add(pm);
        return Boolean(pm) && pm !== 'Default';
      });
      if (bad.length === 0) return undefined;
      return {
        reason: 'procMount',
        detail: `${containersPhrase(bad)} must not set securityContext.procMount to ${joinQuote([...values].sort())}`,
      };
    },
  },
  {
    id: 'seccompProfile_baseline',
    sinceMinor: 19,
    check: (_meta, spec) => {
      const unconfined = (sc: Obj): boolean => asObj(sc['seccompProfile'])?.['type'] === 'Unconfined';
      const who = setters(unconfined(securityContext(spec)), spec, unconfined);
      return violation('seccompProfile', who && `${who} must not set securityContext.seccompProfile.type to "Unconfined"`);
    },
  },
  {
    id: 'sysctls',
    check: (_meta, spec) => {
      const names = objs(securityContext(spec)['sysctls'])
        .map((s) => str(s['name']))
        .filter((n) => !SAFE_SYSCTLS.has(n.replaceAll('/', '.')));
      return names.length > 0 ? { reason: 'forbidden sysctls', detail: names.join(', ') } : undefined;
    },
  },
];
