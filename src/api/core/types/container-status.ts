/** core/v1: ContainerStatus, ContainerState and the status types they carry. */
import { boolean, defineTypes, field, int32, int64, list, map, quantity, ref, string, time } from '../../../machinery/schema/dsl.js';
import { STOP_SIGNALS } from './probe-types.js';
import {
  CONTAINER_STATE,
  CONTAINER_STATE_RUNNING,
  CONTAINER_STATE_TERMINATED,
  CONTAINER_STATE_WAITING,
  CONTAINER_STATUS,
  CONTAINER_USER,
  LINUX_CONTAINER_USER,
  RESOURCE_HEALTH,
  RESOURCE_REQUIREMENTS,
  RESOURCE_STATUS,
  VOLUME_MOUNT_STATUS,
} from './pod-names.js';

defineTypes(
  {
    name: CONTAINER_STATUS,
    description: 'ContainerStatus contains details for the current status of this container.',
    required: ['name', 'ready', 'restartCount', 'image', 'imageID'],
    fields: {
      name: field(
        1,
        string,
        'Name is a DNS_LABEL representing the unique name of the container. Each container in a pod must have a unique name across all container types.',
      ),
      state: field(2, ref(CONTAINER_STATE), "State holds details about the container's current condition."),
      lastState: field(
        3,
        ref(CONTAINER_STATE),
        'LastTerminationState holds the last termination state of the container to help debug container crashes and restarts.',
      ),
      ready: field(
        4,
        boolean,
        'Ready specifies whether the container is currently passing its readiness check. The value will change as readiness probes keep executing.',
      ),
      restartCount: field(
        5,
        int32,
        'RestartCount holds the number of times the container has been restarted. Kubelet makes an effort to always increment the value, but there are cases when the state may be lost due to node restarts and then the value may be reset to 0.',
      ),
      image: field(
        6,
        string,
        'Image is the name of container image that the container is running. The container image may not match the image used in the PodSpec, as it may have been resolved by the runtime.',
      ),
      imageID: field(
        7,
        string,
        "ImageID is the image ID of the container's image. The image ID may not match the image ID of the image used in the PodSpec, as it may have been resolved by the runtime.",
      ),
      containerID: field(
        8,
        string,
        'ContainerID is the ID of the container in the format \'<type>://<container_id>\'. Where type is a container runtime identifier, returned from Version call of CRI API (for example "containerd").',
      ),
      started: field(
        9,
        boolean,
        'Started indicates whether the container has finished its postStart lifecycle hook and passed its startup probe.',
      ),
      allocatedResources: field(
        10,
        map(quantity),
        'AllocatedResources represents the compute resources allocated for this container by the node. Kubelet sets this value to Container.Resources.Requests upon successful pod admission and after successfully admitting desired pod resize.',
      ),
      resources: field(
        11,
        ref(RESOURCE_REQUIREMENTS),
        'Resources represents the compute resource requests and limits that have been successfully enacted on the running container after it has been started or has been successfully resized.',
      ),
      volumeMounts: field(12, list(ref(VOLUME_MOUNT_STATUS)), 'Status of volume mounts.', {
        patchStrategy: 'merge',
        patchMergeKey: 'mountPath',
        listType: 'map',
        listMapKeys: ['mountPath'],
      }),
      user: field(
        13,
        ref(CONTAINER_USER),
        'User represents user identity information initially attached to the first process of the container.',
      ),
      allocatedResourcesStatus: field(
        14,
        list(ref(RESOURCE_STATUS)),
        'AllocatedResourcesStatus represents the status of various resources allocated for this Pod.',
        {
          patchStrategy: 'merge',
          patchMergeKey: 'name',
          listType: 'map',
          listMapKeys: ['name'],
        },
      ),
      stopSignal: field(15, string, 'StopSignal reports the effective stop signal for this container.', {
        enum: STOP_SIGNALS,
      }),
    },
  },
  {
    name: CONTAINER_STATE,
    description: 'ContainerState holds a possible state of container. Only one of its members may be specified.',
    fields: {
      waiting: field(1, ref(CONTAINER_STATE_WAITING), 'Details about a waiting container.'),
      running: field(2, ref(CONTAINER_STATE_RUNNING), 'Details about a running container.'),
      terminated: field(3, ref(CONTAINER_STATE_TERMINATED), 'Details about a terminated container.'),
    },
  },
  {
    name: CONTAINER_STATE_WAITING,
    description: 'ContainerStateWaiting is a waiting state of a container.',
    fields: {
      reason: field(1, string, '(brief) reason the container is not yet running.'),
      message: field(2, string, 'Message regarding why the container is not yet running.'),
    },
  },
  {
    name: CONTAINER_STATE_RUNNING,
    description: 'ContainerStateRunning is a running state of a container.',
    fields: {
      startedAt: field(1, time, 'Time at which the container was last (re-)started.'),
    },
  },
  {
    name: CONTAINER_STATE_TERMINATED,
    description: 'ContainerStateTerminated is a terminated state of a container.',
    required: ['exitCode'],
    fields: {
      exitCode: field(1, int32, 'Exit status from the last termination of the container.'),
      signal: field(2, int32, 'Signal from the last termination of the container.'),
      reason: field(3, string, '(brief) reason from the last termination of the container.'),
      message: field(4, string, 'Message regarding the last termination of the container.'),
      startedAt: field(5, time, 'Time at which previous execution of the container started.'),
      finishedAt: field(6, time, 'Time at which the container last terminated.'),
      containerID: field(7, string, "Container's ID in the format '<type>://<container_id>'."),
    },
  },
  {
    name: CONTAINER_USER,
    description: 'ContainerUser represents user identity information.',
    fields: {
      linux: field(
        1,
        ref(LINUX_CONTAINER_USER),
        'Linux holds user identity information initially attached to the first process of the containers in Linux.',
      ),
    },
  },
  {
    name: LINUX_CONTAINER_USER,
    description: 'LinuxContainerUser represents user identity information in Linux containers.',
    required: ['uid', 'gid'],
    fields: {
      uid: field(1, int64, 'UID is the primary uid initially attached to the first process in the container.'),
      gid: field(2, int64, 'GID is the primary gid initially attached to the first process in the container.'),
      supplementalGroups: field(
        3,
        list(int64),
        'SupplementalGroups are the supplemental groups initially attached to the first process in the container.',
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: VOLUME_MOUNT_STATUS,
    description: 'VolumeMountStatus shows status of volume mounts.',
    required: ['name', 'mountPath'],
    fields: {
      name: field(1, string, 'Name corresponds to the name of the original VolumeMount.'),
      mountPath: field(2, string, 'MountPath corresponds to the original VolumeMount.'),
      readOnly: field(3, boolean, 'ReadOnly corresponds to the original VolumeMount.'),
      recursiveReadOnly: field(
        4,
        string,
        'RecursiveReadOnly must be set to Disabled, Enabled, or unspecified (for non-readonly mounts). An IfPossible value in the original VolumeMount must be translated to Disabled or Enabled, depending on the mount result.',
      ),
    },
  },
  {
    name: RESOURCE_STATUS,
    description: 'ResourceStatus represents the status of a single resource allocated to a Pod.',
    required: ['name'],
    fields: {
      name: field(
        1,
        string,
        'Name of the resource. Must be unique within the pod and in case of non-DRA resource, match one of the resources from the pod spec.',
      ),
      resources: field(
        2,
        list(ref(RESOURCE_HEALTH)),
        'List of unique resources health. Each element in the list contains an unique resource ID and its health.',
        { listType: 'map', listMapKeys: ['resourceID'] },
      ),
    },
  },
  {
    name: RESOURCE_HEALTH,
    description: 'ResourceHealth represents the health of a resource. It has the latest device health information.',
    required: ['resourceID'],
    fields: {
      resourceID: field(1, string, 'ResourceID is the unique identifier of the resource. See the ResourceID type for more information.'),
      health: field(2, string, 'Health of the resource. can be one of: - Healthy: operates as normal - Unhealthy: reported unhealthy.'),
    },
  },
);
