/**
 * A container the kubelet cannot configure from its spec (a missing ConfigMap or key, a
 * runAsNonRoot image running as root, …): upstream's ErrCreateContainerConfig. The pod worker
 * shows it as the container's waiting reason CreateContainerConfigError with this message and
 * records a Failed event `Error: <message>`; the pod's other containers go on.
 */
export class CreateContainerConfigError extends Error {
  readonly code = 'CreateContainerConfigError';

  constructor(message: string) {
    super(message);
    this.name = 'CreateContainerConfigError';
  }
}
