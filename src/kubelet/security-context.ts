/**
 * A container's security settings as upstream's kubelet derives them
 * (securitycontext.DetermineEffectiveSecurityContext, kuberuntime determineEffectiveSecurityContext,
 * verifyRunAsNonRoot): the pod's securityContext (runAsUser, runAsGroup, runAsNonRoot) with the
 * container's fields over it; privileged, capabilities, readOnlyRootFilesystem and
 * allowPrivilegeEscalation (no_new_privs) from the container; supplemental groups from the pod's
 * fsGroup and supplementalGroups. runAsNonRoot is checked against runAsUser or the image's user
 * (an image that names no user runs as root).
 */
import { arr, asObj, objs, str, type Obj } from '../api/core/access.js';
import type { KubeObject } from '../machinery/object.js';
import { CreateContainerConfigError } from './container-config-error.js';
import { join } from 'node:path';
import type { Image, LinuxContainerSecurityContext, LinuxSandboxSecurityContext, SecurityProfile } from './runtime/interface.js';

/** The fields of v1.SecurityContext the kubelet uses. */
export interface EffectiveSecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  privileged?: boolean;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { add: string[]; drop: string[] };
}

const POD_LEVEL = ['runAsUser', 'runAsGroup', 'runAsNonRoot'] as const;
const CONTAINER_LEVEL = [...POD_LEVEL, 'privileged', 'readOnlyRootFilesystem', 'allowPrivilegeEscalation'] as const;

function podSecurityContext(pod: KubeObject): Obj | undefined {
  return asObj(asObj(pod['spec'])?.['securityContext']);
}

export function effectiveSecurityContext(pod: KubeObject, container: Obj): EffectiveSecurityContext {
  const sc: Record<string, unknown> = {};
  const podSc = podSecurityContext(pod);
  for (const f of POD_LEVEL) if (podSc?.[f] !== undefined && podSc[f] !== null) sc[f] = podSc[f];
  const own = asObj(container['securityContext']);
  for (const f of CONTAINER_LEVEL) if (own?.[f] !== undefined && own[f] !== null) sc[f] = own[f];
  const caps = asObj(own?.['capabilities']);
  if (caps) sc['capabilities'] = { add: arr(caps['add']).map(String), drop: arr(caps['drop']).map(String) };
  return sc as EffectiveSecurityContext;
}

/** upstream format.Pod: `name_namespace(uid)`. */
export function formatPod(pod: KubeObject): string {
  return `${pod.metadata.name ?? ''}_${pod.metadata.namespace ?? ''}(${pod.metadata.uid ?? ''})`;
}

/** The user an image runs as, as upstream's getImageUser reads ImageStatus: a uid, a name, or root when it names none. */
export function imageUser(image: Image | undefined): { uid?: number; username?: string } {
  if (image?.uid !== undefined) return { uid: image.uid };
  if (image?.username) return { username: image.username };
  return { uid: 0 };
}

export function verifyRunAsNonRoot(pod: KubeObject, container: Obj, user: { uid?: number; username?: string }): void {
  const sc = effectiveSecurityContext(pod, container);
  if (sc.runAsNonRoot !== true) return;
  const name = str(container['name']);
  if (sc.runAsUser !== undefined) {
    if (sc.runAsUser === 0) {
      throw new CreateContainerConfigError(`container's runAsUser breaks non-root policy (pod: "${formatPod(pod)}", container: ${name})`);
    }
    return;
  }
  if (user.uid === 0) {
    throw new CreateContainerConfigError(
      `container has runAsNonRoot and image will run as root (pod: "${formatPod(pod)}", container: ${name})`,
    );
  }
  if (user.uid === undefined && user.username) {
    throw new CreateContainerConfigError(
      `container has runAsNonRoot and image has non-numeric user (${user.username}), cannot verify user is non-root (pod: "${formatPod(pod)}", container: ${name})`,
    );
  }
}

/**
 * The seccomp profile (getSeccompProfile, fieldSeccompProfile): the container's seccompProfile,
 * else the pod's, else Unconfined; Localhost profiles are files under `profileRoot`.
 */
export function seccompProfile(pod: KubeObject, container: Obj | undefined, profileRoot: string): SecurityProfile {
  const field = asObj(asObj(container?.['securityContext'])?.['seccompProfile']) ?? asObj(podSecurityContext(pod)?.['seccompProfile']);
  const type = str(field?.['type']);
  if (type === 'RuntimeDefault') return { profileType: 'RuntimeDefault' };
  if (type === 'Localhost') {
    const profile = str(field?.['localhostProfile']);
    if (!profile) throw new CreateContainerConfigError('localhostProfile must be set if seccompProfile type is Localhost.');
    return { profileType: 'Localhost', localhostRef: join(profileRoot, profile) };
  }
  return { profileType: 'Unconfined' };
}

/** fsGroup, then supplementalGroups, of the pod's securityContext. */
function supplementalGroups(pod: KubeObject): number[] {
  const podSc = podSecurityContext(pod);
  const groups: number[] = [];
  if (typeof podSc?.['fsGroup'] === 'number') groups.push(podSc['fsGroup']);
  for (const g of arr(podSc?.['supplementalGroups'])) if (typeof g === 'number') groups.push(g);
  return groups;
}

/** `profileRoot`: where Localhost seccomp profiles are (the kubelet's <root-dir>/seccomp). */
export function linuxContainerSecurityContext(pod: KubeObject, container: Obj, profileRoot = ''): LinuxContainerSecurityContext {
  const sc = effectiveSecurityContext(pod, container);
  const out: LinuxContainerSecurityContext = {
    privileged: sc.privileged === true,
    readonlyRootfs: sc.readOnlyRootFilesystem === true,
    noNewPrivs: sc.allowPrivilegeEscalation === false,
    supplementalGroups: supplementalGroups(pod),
    seccomp: seccompProfile(pod, container, profileRoot),
  };
  if (sc.capabilities) out.capabilities = { addCapabilities: sc.capabilities.add, dropCapabilities: sc.capabilities.drop };
  if (sc.runAsUser !== undefined) out.runAsUser = sc.runAsUser;
  if (sc.runAsGroup !== undefined) out.runAsGroup = sc.runAsGroup;
  return out;
}

/** Whether a container (init, app or ephemeral) of the pod is privileged: the sandbox must then be too. */
export function hasPrivilegedContainer(pod: KubeObject): boolean {
  const spec = asObj(pod['spec']) ?? {};
  return ['initContainers', 'containers', 'ephemeralContainers'].some((list) =>
    objs(spec[list]).some((c) => asObj(c['securityContext'])?.['privileged'] === true),
  );
}

/** The sandbox's security context (generatePodSandboxLinuxConfig): the pod-level user and groups, privileged if any container is. */
export function linuxSandboxSecurityContext(pod: KubeObject, profileRoot = ''): LinuxSandboxSecurityContext {
  const podSc = podSecurityContext(pod);
  const out: LinuxSandboxSecurityContext = {
    privileged: hasPrivilegedContainer(pod),
    supplementalGroups: supplementalGroups(pod),
    seccomp: seccompProfile(pod, undefined, profileRoot),
  };
  if (typeof podSc?.['runAsUser'] === 'number') out.runAsUser = podSc['runAsUser'];
  if (typeof podSc?.['runAsGroup'] === 'number') out.runAsGroup = podSc['runAsGroup'];
  return out;
}
