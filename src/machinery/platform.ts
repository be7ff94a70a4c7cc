/**
 * This machine's platform in Go's words (GOOS/GOARCH), as Kubernetes components report it: in
 * OCI image platforms, a node's `kubernetes.io/arch` label and nodeInfo, and the User-Agent of
 * every client (`kubelet/v1.33.0-k8ts (linux/amd64) kubernetes/k8ts`, client-go's DefaultUserAgent).
 *
 *   hostPlatform(): { architecture: string; os: string }
 *   componentUserAgent(component: string): string
 */

const GO_ARCH: Partial<Record<NodeJS.Architecture, string>> = { x64: 'amd64', ia32: '386', ppc64: 'ppc64le' };

/** The version every k8ts component reports. */
export const K8TS_VERSION = 'v1.33.0-k8ts';

export function hostPlatform(): { architecture: string; os: string } {
  return { architecture: GO_ARCH[process.arch] ?? process.arch, os: 'linux' };
}

/** `<component>/<version> (<os>/<arch>) kubernetes/k8ts`. */
export function componentUserAgent(component: string): string {
  const { os, architecture } = hostPlatform();
  return `${component}/${K8TS_VERSION} (${os}/${architecture}) kubernetes/k8ts`;
}
