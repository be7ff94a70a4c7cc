/** core/v1: Container, EphemeralContainer and their ports, mounts, devices and resources. */
import type { FieldDef } from '../../../machinery/schema/dsl.js';
import { boolean, defineTypes, field, int32, list, map, quantity, ref, string } from '../../../machinery/schema/dsl.js';
import { embed } from './pod-embedding.js';
import {
  CONTAINER,
  CONTAINER_PORT,
  CONTAINER_RESIZE_POLICY,
  CONTAINER_RESTART_RULE,
  CONTAINER_RESTART_RULE_ON_EXIT_CODES,
  ENV_FROM_SOURCE,
  ENV_VAR,
  EPHEMERAL_CONTAINER,
  EPHEMERAL_CONTAINER_COMMON,
  LIFECYCLE,
  PROBE,
  RESOURCE_CLAIM,
  RESOURCE_REQUIREMENTS,
  SECURITY_CONTEXT,
  VOLUME_DEVICE,
  VOLUME_MOUNT,
} from './pod-names.js';

/** The fields of EphemeralContainerCommon, also inlined (JSON) into the types that embed it. */
export const ephemeralContainerCommonFields: Readonly<Record<string, FieldDef>> = {
  name: field(
    1,
    string,
    'Name of the ephemeral container specified as a DNS_LABEL. This name must be unique among all containers, init containers and ephemeral containers.',
  ),
  image: field(2, string, 'Container image name. More info: https://kubernetes.io/docs/concepts/containers/images'),
  command: field(3, list(string), 'Entrypoint array. Not executed within a shell.', { listType: 'atomic' }),
  args: field(4, list(string), "Arguments to the entrypoint. The image's CMD is used if this is not provided.", { listType: 'atomic' }),
  workingDir: field(
    5,
    string,
    "Container's working directory. If not specified, the container runtime's default will be used, which might be configured in the container image.",
  ),
  ports: field(6, list(ref(CONTAINER_PORT)), 'Ports are not allowed for ephemeral containers.', {
    patchStrategy: 'merge',
    patchMergeKey: 'containerPort',
    listType: 'map',
    listMapKeys: ['containerPort', 'protocol'],
  }),
  envFrom: field(
    19,
    list(ref(ENV_FROM_SOURCE)),
    "List of sources to populate environment variables in the container. The keys defined within a source may consist of any printable ASCII characters except '='.",
    { listType: 'atomic' },
  ),
  env: field(7, list(ref(ENV_VAR)), 'List of environment variables to set in the container. Cannot be updated.', {
    patchStrategy: 'merge',
    patchMergeKey: 'name',
    listType: 'map',
    listMapKeys: ['name'],
  }),
  resources: field(
    8,
    ref(RESOURCE_REQUIREMENTS),
    'Resources are not allowed for ephemeral containers. Ephemeral containers use spare resources already allocated to the pod.',
  ),
  resizePolicy: field(23, list(ref(CONTAINER_RESIZE_POLICY)), 'Resources resize policy for the container.', { listType: 'atomic' }),
  restartPolicy: field(
    24,
    string,
    'Restart policy for the container to manage the restart behavior of each container within a pod. You cannot set this field on ephemeral containers.',
  ),
  restartPolicyRules: field(
    25,
    list(ref(CONTAINER_RESTART_RULE)),
    'Represents a list of rules to be checked to determine if the container should be restarted on exit. You cannot set this field on ephemeral containers.',
    { listType: 'atomic' },
  ),
  volumeMounts: field(
    9,
    list(ref(VOLUME_MOUNT)),
    "Pod volumes to mount into the container's filesystem. Subpath mounts are not allowed for ephemeral containers.",
    {
      patchStrategy: 'merge',
      patchMergeKey: 'mountPath',
      listType: 'map',
      listMapKeys: ['mountPath'],
    },
  ),
  volumeDevices: field(21, list(ref(VOLUME_DEVICE)), 'volumeDevices is the list of block devices to be used by the container.', {
    patchStrategy: 'merge',
    patchMergeKey: 'devicePath',
    listType: 'map',
    listMapKeys: ['devicePath'],
  }),
  livenessProbe: field(10, ref(PROBE), 'Probes are not allowed for ephemeral containers.'),
  readinessProbe: field(11, ref(PROBE), 'Probes are not allowed for ephemeral containers.'),
  startupProbe: field(22, ref(PROBE), 'Probes are not allowed for ephemeral containers.'),
  lifecycle: field(12, ref(LIFECYCLE), 'Lifecycle is not allowed for ephemeral containers.'),
  terminationMessagePath: field(
    13,
    string,
    "Optional: Path at which the file to which the container's termination message will be written is mounted into the container's filesystem.",
  ),
  terminationMessagePolicy: field(
    20,
    string,
    'Indicate how the termination message should be populated. File will use the contents of terminationMessagePath to populate the container status message on both success and failure.',
    { enum: ['FallbackToLogsOnError', 'File'] },
  ),
  imagePullPolicy: field(14, string, 'Image pull policy. One of Always, Never, IfNotPresent.', {
    enum: ['Always', 'IfNotPresent', 'Never'],
  }),
  securityContext: field(
    15,
    ref(SECURITY_CONTEXT),
    'Optional: SecurityContext defines the security options the ephemeral container should be run with. If set, the fields of SecurityContext override the equivalent fields of PodSecurityContext.',
  ),
  stdin: field(
    16,
    boolean,
    'Whether this container should allocate a buffer for stdin in the container runtime. If this is not set, reads from stdin in the container will always result in EOF. Default is false.',
  ),
  stdinOnce: field(
    17,
    boolean,
    'Whether the container runtime should close the stdin channel after it has been opened by a single attach.',
  ),
  tty: field(18, boolean, "Whether this container should allocate a TTY for itself, also requires 'stdin' to be true. Default is false."),
};

defineTypes(
  {
    name: CONTAINER,
    description: 'A single application container that you want to run within a pod.',
    required: ['name'],
    fields: {
      name: field(
        1,
        string,
        'Name of the container specified as a DNS_LABEL. Each container in a pod must have a unique name (DNS_LABEL).',
      ),
      image: field(2, string, 'Container image name. More info: https://kubernetes.io/docs/concepts/containers/images'),
      command: field(3, list(string), 'Entrypoint array. Not executed within a shell.', { listType: 'atomic' }),
      args: field(4, list(string), "Arguments to the entrypoint. The container image's CMD is used if this is not provided.", {
        listType: 'atomic',
      }),
      workingDir: field(
        5,
        string,
        "Container's working directory. If not specified, the container runtime's default will be used, which might be configured in the container image.",
      ),
      ports: field(
        6,
        list(ref(CONTAINER_PORT)),
        'List of ports to expose from the container. Not specifying a port here DOES NOT prevent that port from being exposed.',
        {
          patchStrategy: 'merge',
          patchMergeKey: 'containerPort',
          listType: 'map',
          listMapKeys: ['containerPort', 'protocol'],
        },
      ),
      envFrom: field(
        19,
        list(ref(ENV_FROM_SOURCE)),
        "List of sources to populate environment variables in the container. The keys defined within a source may consist of any printable ASCII characters except '='.",
        { listType: 'atomic' },
      ),
      env: field(7, list(ref(ENV_VAR)), 'List of environment variables to set in the container. Cannot be updated.', {
        patchStrategy: 'merge',
        patchMergeKey: 'name',
        listType: 'map',
        listMapKeys: ['name'],
      }),
      resources: field(8, ref(RESOURCE_REQUIREMENTS), 'Compute Resources required by this container. Cannot be updated.'),
      resizePolicy: field(23, list(ref(CONTAINER_RESIZE_POLICY)), 'Resources resize policy for the container.', { listType: 'atomic' }),
      restartPolicy: field(
        24,
        string,
        'RestartPolicy defines the restart behavior of individual containers in a pod. This overrides the pod-level restart policy.',
      ),
      restartPolicyRules: field(
        25,
        list(ref(CONTAINER_RESTART_RULE)),
        'Represents a list of rules to be checked to determine if the container should be restarted on exit. The rules are evaluated in order.',
        { listType: 'atomic' },
      ),
      volumeMounts: field(9, list(ref(VOLUME_MOUNT)), "Pod volumes to mount into the container's filesystem. Cannot be updated.", {
        patchStrategy: 'merge',
        patchMergeKey: 'mountPath',
        listType: 'map',
        listMapKeys: ['mountPath'],
      }),
      volumeDevices: field(21, list(ref(VOLUME_DEVICE)), 'volumeDevices is the list of block devices to be used by the container.', {
        patchStrategy: 'merge',
        patchMergeKey: 'devicePath',
        listType: 'map',
        listMapKeys: ['devicePath'],
      }),
      livenessProbe: field(10, ref(PROBE), 'Periodic probe of container liveness. Container will be restarted if the probe fails.'),
      readinessProbe: field(
        11,
        ref(PROBE),
        'Periodic probe of container service readiness. Container will be removed from service endpoints if the probe fails.',
      ),
      startupProbe: field(
        22,
        ref(PROBE),
        'StartupProbe indicates that the Pod has successfully initialized. If specified, no other probes are executed until this completes successfully.',
      ),
      lifecycle: field(
        12,
        ref(LIFECYCLE),
        'Actions that the management system should take in response to container lifecycle events. Cannot be updated.',
      ),
      terminationMessagePath: field(
        13,
        string,
        "Optional: Path at which the file to which the container's termination message will be written is mounted into the container's filesystem.",
      ),
      terminationMessagePolicy: field(
        20,
        string,
        'Indicate how the termination message should be populated. File will use the contents of terminationMessagePath to populate the container status message on both success and failure.',
        { enum: ['FallbackToLogsOnError', 'File'] },
      ),
      imagePullPolicy: field(14, string, 'Image pull policy. One of Always, Never, IfNotPresent.', {
        enum: ['Always', 'IfNotPresent', 'Never'],
      }),
      securityContext: field(
        15,
        ref(SECURITY_CONTEXT),
        'SecurityContext defines the security options the container should be run with. If set, the fields of SecurityContext override the equivalent fields of PodSecurityContext.',
      ),
      stdin: field(
        16,
        boolean,
        'Whether this container should allocate a buffer for stdin in the container runtime. If this is not set, reads from stdin in the container will always result in EOF. Default is false.',
      ),
      stdinOnce: field(
        17,
        boolean,
        'Whether the container runtime should close the stdin channel after it has been opened by a single attach.',
      ),
      tty: field(
        18,
        boolean,
        "Whether this container should allocate a TTY for itself, also requires 'stdin' to be true. Default is false.",
      ),
    },
  },
  {
    name: EPHEMERAL_CONTAINER_COMMON,
    description:
      'EphemeralContainerCommon is a copy of all fields in Container to be inlined in EphemeralContainer. This separate type allows easy conversion from EphemeralContainer to Container and allows separate documentation for the fields of EphemeralContainer.',
    required: ['name'],
    fields: ephemeralContainerCommonFields,
  },
  {
    name: EPHEMERAL_CONTAINER,
    description:
      'An EphemeralContainer is a temporary container that you may add to an existing Pod for user-initiated activities such as debugging.',
    required: ['name'],
    fields: {
      ...embed(EPHEMERAL_CONTAINER, 1, EPHEMERAL_CONTAINER_COMMON, ephemeralContainerCommonFields),
      targetContainerName: field(
        2,
        string,
        'If set, the name of the container from PodSpec that this ephemeral container targets. The ephemeral container will be run in the namespaces (IPC, PID, etc) of this container.',
      ),
    },
  },
  {
    name: CONTAINER_PORT,
    description: 'ContainerPort represents a network port in a single container.',
    required: ['containerPort'],
    fields: {
      name: field(
        1,
        string,
        'If specified, this must be an IANA_SVC_NAME and unique within the pod. Each named port in a pod must have a unique name.',
      ),
      hostPort: field(2, int32, 'Number of port to expose on the host. If specified, this must be a valid port number, 0 < x < 65536.'),
      containerPort: field(3, int32, "Number of port to expose on the pod's IP address. This must be a valid port number, 0 < x < 65536."),
      protocol: field(4, string, 'Protocol for port. Must be UDP, TCP, or SCTP. Defaults to "TCP".', {
        default: 'TCP',
        enum: ['SCTP', 'TCP', 'UDP'],
      }),
      hostIP: field(5, string, 'What host IP to bind the external port to.'),
    },
  },
  {
    name: VOLUME_MOUNT,
    description: 'VolumeMount describes a mounting of a Volume within a container.',
    required: ['name', 'mountPath'],
    fields: {
      name: field(1, string, 'This must match the Name of a Volume.'),
      readOnly: field(2, boolean, 'Mounted read-only if true, read-write otherwise (false or unspecified). Defaults to false.'),
      recursiveReadOnly: field(7, string, 'RecursiveReadOnly specifies whether read-only mounts should be handled recursively.'),
      mountPath: field(3, string, "Path within the container at which the volume should be mounted. Must not contain ':'."),
      subPath: field(
        4,
        string,
        'Path within the volume from which the container\'s volume should be mounted. Defaults to "" (volume\'s root).',
      ),
      mountPropagation: field(
        5,
        string,
        'mountPropagation determines how mounts are propagated from the host to container and the other way around.',
        { enum: ['Bidirectional', 'HostToContainer', 'None'] },
      ),
      subPathExpr: field(
        6,
        string,
        "Expanded path within the volume from which the container's volume should be mounted. Behaves similarly to SubPath but environment variable references $(VAR_NAME) are expanded using the container's environment.",
      ),
    },
  },
  {
    name: VOLUME_DEVICE,
    description: 'volumeDevice describes a mapping of a raw block device within a container.',
    required: ['name', 'devicePath'],
    fields: {
      name: field(1, string, 'name must match the name of a persistentVolumeClaim in the pod.'),
      devicePath: field(2, string, 'devicePath is the path inside of the container that the device will be mapped to.'),
    },
  },
  {
    name: CONTAINER_RESIZE_POLICY,
    description: 'ContainerResizePolicy represents resource resize policy for the container.',
    required: ['resourceName', 'restartPolicy'],
    fields: {
      resourceName: field(1, string, 'Name of the resource to which this resource resize policy applies. Supported values: cpu, memory.'),
      restartPolicy: field(
        2,
        string,
        'Restart policy to apply when specified resource is resized. If not specified, it defaults to NotRequired.',
      ),
    },
  },
  {
    name: RESOURCE_REQUIREMENTS,
    description: 'ResourceRequirements describes the compute resource requirements.',
    fields: {
      limits: field(
        1,
        map(quantity),
        'Limits describes the maximum amount of compute resources allowed. More info: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/',
      ),
      requests: field(
        2,
        map(quantity),
        'Requests describes the minimum amount of compute resources required. If Requests is omitted for a container, it defaults to Limits if that is explicitly specified, otherwise to an implementation-defined value.',
      ),
      claims: field(
        3,
        list(ref(RESOURCE_CLAIM)),
        'Claims lists the names of resources, defined in spec.resourceClaims, that are used by this container.',
        { listType: 'map', listMapKeys: ['name'] },
      ),
    },
  },
  {
    name: RESOURCE_CLAIM,
    description: 'ResourceClaim references one entry in PodSpec.ResourceClaims.',
    required: ['name'],
    fields: {
      name: field(1, string, 'Name must match the name of one entry in pod.spec.resourceClaims of the Pod where this field is used.'),
      request: field(
        2,
        string,
        'Request is the name chosen for a request in the referenced claim. If empty, everything from the claim is made available, otherwise only the result of this request.',
      ),
    },
  },
  {
    name: CONTAINER_RESTART_RULE,
    description: 'ContainerRestartRule describes how a container exit is handled.',
    required: ['action'],
    fields: {
      action: field(
        1,
        string,
        'Specifies the action taken on a container exit if the requirements are satisfied. The only possible value is "Restart" to restart the container.',
      ),
      exitCodes: field(2, ref(CONTAINER_RESTART_RULE_ON_EXIT_CODES), 'Represents the exit codes to check on container exits.'),
    },
  },
  {
    name: CONTAINER_RESTART_RULE_ON_EXIT_CODES,
    description: 'ContainerRestartRuleOnExitCodes describes the condition for handling an exited container based on its exit codes.',
    required: ['operator'],
    fields: {
      operator: field(
        1,
        string,
        'Represents the relationship between the container exit code(s) and the specified values. Possible values are: - In: the requirement is satisfied if the container exit code is in the set of specified values. - NotIn: the requirement is satisfied if the container exit code is not in the set of specified values.',
      ),
      values: field(2, list(int32), 'Specifies the set of values to check for container exit codes. At most 255 elements are allowed.', {
        listType: 'set',
      }),
    },
  },
);
