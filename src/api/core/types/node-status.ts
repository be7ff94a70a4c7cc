/** NodeStatus and the types it reaches (core/v1). */
import { boolean, defineTypes, field, int32, int64, list, map, quantity, ref, string, time } from '../../../machinery/schema/dsl.js';
import { CORE } from './names.js';

defineTypes(
  {
    name: `${CORE}.NodeStatus`,
    description: 'NodeStatus is information about the current status of a node.',
    fields: {
      capacity: field(1, map(quantity), 'Capacity represents the total resources of a node.'),
      allocatable: field(
        2,
        map(quantity),
        'Allocatable represents the resources of a node that are available for scheduling. Defaults to Capacity.',
      ),
      phase: field(
        3,
        string,
        'NodePhase is the recently observed lifecycle phase of the node. The field is never populated, and now is deprecated.',
        { enum: ['Pending', 'Running', 'Terminated'] },
      ),
      conditions: field(4, list(ref(`${CORE}.NodeCondition`)), 'Conditions is an array of current observed node conditions.', {
        patchStrategy: 'merge',
        patchMergeKey: 'type',
        listType: 'map',
        listMapKeys: ['type'],
      }),
      addresses: field(
        5,
        list(ref(`${CORE}.NodeAddress`)),
        'List of addresses reachable to the node. Queried from cloud provider, if available.',
        { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
      ),
      daemonEndpoints: field(6, ref(`${CORE}.NodeDaemonEndpoints`), 'Endpoints of daemons running on the Node.'),
      nodeInfo: field(7, ref(`${CORE}.NodeSystemInfo`), 'Set of ids/uuids to uniquely identify the node.'),
      images: field(8, list(ref(`${CORE}.ContainerImage`)), 'List of container images on this node', { listType: 'atomic' }),
      volumesInUse: field(9, list(string), 'List of attachable volumes in use (mounted) by the node.', { listType: 'atomic' }),
      volumesAttached: field(10, list(ref(`${CORE}.AttachedVolume`)), 'List of volumes that are attached to the node.', {
        listType: 'atomic',
      }),
      config: field(
        11,
        ref(`${CORE}.NodeConfigStatus`),
        'Status of the config assigned to the node via the dynamic Kubelet config feature.',
      ),
      runtimeHandlers: field(12, list(ref(`${CORE}.NodeRuntimeHandler`)), 'The available runtime handlers.', { listType: 'atomic' }),
      features: field(13, ref(`${CORE}.NodeFeatures`), 'Features describes the set of features implemented by the CRI implementation.'),
    },
  },
  {
    name: `${CORE}.NodeCondition`,
    description: 'NodeCondition contains condition information for a node.',
    required: ['type', 'status'],
    fields: {
      type: field(1, string, 'Type of node condition.'),
      status: field(2, string, 'Status of the condition, one of True, False, Unknown.'),
      lastHeartbeatTime: field(3, time, 'Last time we got an update on a given condition.'),
      lastTransitionTime: field(4, time, 'Last time the condition transit from one status to another.'),
      reason: field(5, string, "(brief) reason for the condition's last transition."),
      message: field(6, string, 'Human readable message indicating details about last transition.'),
    },
  },
  {
    name: `${CORE}.NodeAddress`,
    description: "NodeAddress contains information for the node's address.",
    required: ['type', 'address'],
    fields: {
      type: field(1, string, 'Node address type, one of Hostname, ExternalIP or InternalIP.'),
      address: field(2, string, 'The node address.'),
    },
  },
  {
    name: `${CORE}.NodeDaemonEndpoints`,
    description: 'NodeDaemonEndpoints lists ports opened by daemons running on the Node.',
    fields: {
      kubeletEndpoint: field(1, ref(`${CORE}.DaemonEndpoint`), 'Endpoint on which Kubelet is listening.'),
    },
  },
  {
    name: `${CORE}.DaemonEndpoint`,
    description: 'DaemonEndpoint contains information about a single Daemon endpoint.',
    required: ['Port'],
    fields: {
      Port: field(1, int32, 'Port number of the given endpoint.'),
    },
  },
  {
    name: `${CORE}.NodeSystemInfo`,
    description: 'NodeSystemInfo is a set of ids/uuids to uniquely identify the node.',
    required: [
      'machineID',
      'systemUUID',
      'bootID',
      'kernelVersion',
      'osImage',
      'containerRuntimeVersion',
      'kubeletVersion',
      'kubeProxyVersion',
      'operatingSystem',
      'architecture',
    ],
    fields: {
      machineID: field(
        1,
        string,
        'MachineID reported by the node. For unique machine identification in the cluster this field is preferred.',
      ),
      systemUUID: field(2, string, 'SystemUUID reported by the node. For unique machine identification MachineID is preferred.'),
      bootID: field(3, string, 'Boot ID reported by the node.'),
      kernelVersion: field(4, string, "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
      osImage: field(5, string, 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).'),
      containerRuntimeVersion: field(
        6,
        string,
        'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
      ),
      kubeletVersion: field(7, string, 'Kubelet Version reported by the node.'),
      kubeProxyVersion: field(8, string, 'Deprecated: KubeProxy Version reported by the node.'),
      operatingSystem: field(9, string, 'The Operating System reported by the node'),
      architecture: field(10, string, 'The Architecture reported by the node'),
      swap: field(11, ref(`${CORE}.NodeSwapStatus`), 'Swap Info reported by the node.'),
    },
  },
  {
    name: `${CORE}.NodeSwapStatus`,
    description: 'NodeSwapStatus represents swap memory information.',
    fields: {
      capacity: field(1, int64, 'Total amount of swap memory in bytes.'),
    },
  },
  {
    name: `${CORE}.ContainerImage`,
    description: 'Describe a container image',
    fields: {
      names: field(
        1,
        list(string),
        'Names by which this image is known. e.g. ["kubernetes.example/hyperkube:v1.0.7", "cloud-vendor.registry.example/cloud-vendor/hyperkube:v1.0.7"]',
        { listType: 'atomic' },
      ),
      sizeBytes: field(2, int64, 'The size of the image in bytes.'),
    },
  },
  {
    name: `${CORE}.AttachedVolume`,
    description: 'AttachedVolume describes a volume attached to a node',
    required: ['name', 'devicePath'],
    fields: {
      name: field(1, string, 'Name of the attached volume'),
      devicePath: field(2, string, 'DevicePath represents the device path where the volume should be available'),
    },
  },
  {
    name: `${CORE}.NodeConfigStatus`,
    description: 'NodeConfigStatus describes the status of the config assigned by Node.Spec.ConfigSource.',
    fields: {
      assigned: field(
        1,
        ref(`${CORE}.NodeConfigSource`),
        'Assigned reports the checkpointed config the node will try to use. When Node.Spec.ConfigSource is updated, the node checkpoints the associated config payload to local disk, along with a record indicating intended config.',
      ),
      active: field(
        2,
        ref(`${CORE}.NodeConfigSource`),
        'Active reports the checkpointed config the node is actively using. Active will represent either the current version of the Assigned config, or the current LastKnownGood config, depending on whether attempting to use the Assigned config results in an error.',
      ),
      lastKnownGood: field(
        3,
        ref(`${CORE}.NodeConfigSource`),
        'LastKnownGood reports the checkpointed config the node will fall back to when it encounters an error attempting to use the Assigned config. The Assigned config becomes the LastKnownGood config when the node determines that the Assigned config is stable and correct.',
      ),
      error: field(
        4,
        string,
        'Error describes any problems reconciling the Spec.ConfigSource to the Active config. Errors may occur, for example, attempting to checkpoint Spec.ConfigSource to the local Assigned record, attempting to checkpoint the payload associated with Spec.ConfigSource, attempting to load or validate the Assigned config, etc. Errors may occur at different points while syncing config.',
      ),
    },
  },
  {
    name: `${CORE}.NodeRuntimeHandler`,
    description: 'NodeRuntimeHandler is a set of runtime handler information.',
    fields: {
      name: field(1, string, 'Runtime handler name. Empty for the default runtime handler.'),
      features: field(2, ref(`${CORE}.NodeRuntimeHandlerFeatures`), 'Supported features.'),
    },
  },
  {
    name: `${CORE}.NodeRuntimeHandlerFeatures`,
    description: 'NodeRuntimeHandlerFeatures is a set of features implemented by the runtime handler.',
    fields: {
      recursiveReadOnlyMounts: field(
        1,
        boolean,
        'RecursiveReadOnlyMounts is set to true if the runtime handler supports RecursiveReadOnlyMounts.',
      ),
      userNamespaces: field(
        2,
        boolean,
        'UserNamespaces is set to true if the runtime handler supports UserNamespaces, including for volumes.',
      ),
    },
  },
  {
    name: `${CORE}.NodeFeatures`,
    description:
      'NodeFeatures describes the set of features implemented by the CRI implementation. The features contained in the NodeFeatures should depend only on the cri implementation independent of runtime handlers.',
    fields: {
      supplementalGroupsPolicy: field(
        1,
        boolean,
        'SupplementalGroupsPolicy is set to true if the runtime supports SupplementalGroupsPolicy and ContainerUser.',
      ),
    },
  },
);
