/**
 * Pod sysctls (spec.securityContext.sysctls): the kubelet admits only the safe, namespaced ones
 * (pkg/kubelet/sysctl allowlist and safe_sysctls.go) — a pod asking for another is rejected with
 * reason SysctlForbidden and upstream's message, as is a network sysctl on the host network or an
 * IPC sysctl on the host IPC namespace — and hands the admitted ones to the sandbox.
 */
import { asObj, objs, str } from '../api/core/access.js';
import type { KubeObject } from '../machinery/object.js';

export const SYSCTL_FORBIDDEN_REASON = 'SysctlForbidden';

type Namespace = 'IPC' | 'Net';

/** The safe sysctls of upstream's default allowlist, with the namespace each lives in. */
const SAFE_SYSCTLS: Record<string, Namespace> = {
  'kernel.shm_rmid_forced': 'IPC',
  'net.ipv4.ip_local_port_range': 'Net',
  'net.ipv4.tcp_syncookies': 'Net',
  'net.ipv4.ping_group_range': 'Net',
  'net.ipv4.ip_unprivileged_port_start': 'Net',
  'net.ipv4.ip_local_reserved_ports': 'Net',
  'net.ipv4.tcp_keepalive_time': 'Net',
  'net.ipv4.tcp_fin_timeout': 'Net',
  'net.ipv4.tcp_keepalive_intvl': 'Net',
  'net.ipv4.tcp_keepalive_probes': 'Net',
  'net.ipv4.tcp_rmem': 'Net',
  'net.ipv4.tcp_wmem': 'Net',
};

/** utilsysctl.NormalizeName: `net/ipv4/ip_forward` → `net.ipv4.ip_forward` (a `/`-separated name swaps `/` and `.`). */
export function normalizeSysctlName(name: string): string {
  const slash = name.indexOf('/');
  const dot = name.indexOf('.');
  if (slash === -1 || (dot !== -1 && dot < slash)) return name;
  return name.replace(/[./]/g, (c) => (c === '/' ? '.' : '/'));
}

function podSysctls(pod: KubeObject): { name: string; value: string }[] {
  return objs(asObj(asObj(pod['spec'])?.['securityContext'])?.['sysctls']).map((s) => ({ name: str(s['name']), value: str(s['value']) }));
}

/** The reason a sysctl is not allowed for the pod, or undefined. */
function forbidden(name: string, hostNetwork: boolean, hostIPC: boolean): string | undefined {
  const sysctl = normalizeSysctlName(name);
  const ns = SAFE_SYSCTLS[sysctl];
  if (!ns) return `"${sysctl}" not allowlisted`;
  if ((ns === 'IPC' && hostIPC) || (ns === 'Net' && hostNetwork)) return `"${sysctl}" not allowed with host ${ns} enabled`;
  return undefined;
}

/** The admission message for the first forbidden sysctl of the pod, or undefined when all are allowed. */
export function forbiddenSysctl(pod: KubeObject): string | undefined {
  const spec = asObj(pod['spec']) ?? {};
  for (const s of podSysctls(pod)) {
    const why = forbidden(s.name, spec['hostNetwork'] === true, spec['hostIPC'] === true);
    if (why) return `forbidden sysctl: ${why}`;
  }
  return undefined;
}

/** The sandbox's sysctls (LinuxPodSandboxConfig.sysctls), with dot-separated names. */
export function sandboxSysctls(pod: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of podSysctls(pod)) out[normalizeSysctlName(s.name)] = s.value;
  return out;
}
