/** core/v1: Container and pod security contexts and their parts. */
import { boolean, defineTypes, field, int64, list, ref, string } from '../../../machinery/schema/dsl.js';
import {
  APP_ARMOR_PROFILE,
  CAPABILITIES,
  POD_SECURITY_CONTEXT,
  SECCOMP_PROFILE,
  SECURITY_CONTEXT,
  SE_LINUX_OPTIONS,
  SYSCTL,
  WINDOWS_SECURITY_CONTEXT_OPTIONS,
} from './pod-names.js';

defineTypes(
  {
    name: SECURITY_CONTEXT,
    description:
      'SecurityContext holds security configuration that will be applied to a container. Some fields are present in both SecurityContext and PodSecurityContext.',
    fields: {
      capabilities: field(
        1,
        ref(CAPABILITIES),
        'The capabilities to add/drop when running containers. Defaults to the default set of capabilities granted by the container runtime.',
      ),
      privileged: field(
        2,
        boolean,
        'Run container in privileged mode. Processes in privileged containers are essentially equivalent to root on the host.',
      ),
      seLinuxOptions: field(
        3,
        ref(SE_LINUX_OPTIONS),
        'The SELinux context to be applied to the container. If unspecified, the container runtime will allocate a random SELinux context for each container.',
      ),
      windowsOptions: field(
        10,
        ref(WINDOWS_SECURITY_CONTEXT_OPTIONS),
        'The Windows specific settings applied to all containers. If unspecified, the options from the PodSecurityContext will be used.',
      ),
      runAsUser: field(
        4,
        int64,
        'The UID to run the entrypoint of the container process. Defaults to user specified in image metadata if unspecified.',
      ),
      runAsGroup: field(8, int64, 'The GID to run the entrypoint of the container process. Uses runtime default if unset.'),
      runAsNonRoot: field(
        5,
        boolean,
        'Indicates that the container must run as a non-root user. If true, the Kubelet will validate the image at runtime to ensure that it does not run as UID 0 (root) and fail to start the container if it does.',
      ),
      readOnlyRootFilesystem: field(6, boolean, 'Whether this container has a read-only root filesystem. Default is false.'),
      allowPrivilegeEscalation: field(
        7,
        boolean,
        'AllowPrivilegeEscalation controls whether a process can gain more privileges than its parent process.',
      ),
      procMount: field(
        9,
        string,
        'procMount denotes the type of proc mount to use for the containers. The default value is Default which uses the container runtime defaults for readonly paths and masked paths.',
        { enum: ['Default', 'Unmasked'] },
      ),
      seccompProfile: field(
        11,
        ref(SECCOMP_PROFILE),
        'The seccomp options to use by this container. If seccomp options are provided at both the pod & container level, the container options override the pod options.',
      ),
      appArmorProfile: field(
        12,
        ref(APP_ARMOR_PROFILE),
        "appArmorProfile is the AppArmor options to use by this container. If set, this profile overrides the pod's appArmorProfile.",
      ),
    },
  },
  {
    name: POD_SECURITY_CONTEXT,
    description:
      'PodSecurityContext holds pod-level security attributes and common container settings. Some fields are also present in container.securityContext.',
    fields: {
      seLinuxOptions: field(
        1,
        ref(SE_LINUX_OPTIONS),
        'The SELinux context to be applied to all containers. If unspecified, the container runtime will allocate a random SELinux context for each container.',
      ),
      windowsOptions: field(
        8,
        ref(WINDOWS_SECURITY_CONTEXT_OPTIONS),
        "The Windows specific settings applied to all containers. If unspecified, the options within a container's SecurityContext will be used.",
      ),
      runAsUser: field(
        2,
        int64,
        'The UID to run the entrypoint of the container process. Defaults to user specified in image metadata if unspecified.',
      ),
      runAsGroup: field(6, int64, 'The GID to run the entrypoint of the container process. Uses runtime default if unset.'),
      runAsNonRoot: field(
        3,
        boolean,
        'Indicates that the container must run as a non-root user. If true, the Kubelet will validate the image at runtime to ensure that it does not run as UID 0 (root) and fail to start the container if it does.',
      ),
      supplementalGroups: field(
        4,
        list(int64),
        "A list of groups applied to the first process run in each container, in addition to the container's primary GID and fsGroup (if specified).",
        { listType: 'atomic' },
      ),
      supplementalGroupsPolicy: field(
        12,
        string,
        'Defines how supplemental groups of the first container processes are calculated. Valid values are "Merge" and "Strict".',
        { enum: ['Merge', 'Strict'] },
      ),
      fsGroup: field(
        5,
        int64,
        'A special supplemental group that applies to all containers in a pod. Some volume types allow the Kubelet to change the ownership of that volume to be owned by the pod:.',
      ),
      sysctls: field(
        7,
        list(ref(SYSCTL)),
        'Sysctls hold a list of namespaced sysctls used for the pod. Pods with unsupported sysctls (by the container runtime) might fail to launch.',
        { listType: 'atomic' },
      ),
      fsGroupChangePolicy: field(
        9,
        string,
        'fsGroupChangePolicy defines behavior of changing ownership and permission of the volume before being exposed inside Pod.',
        { enum: ['Always', 'OnRootMismatch'] },
      ),
      seccompProfile: field(
        10,
        ref(SECCOMP_PROFILE),
        'The seccomp options to use by the containers in this pod. Note that this field cannot be set when spec.os.name is windows.',
      ),
      appArmorProfile: field(
        11,
        ref(APP_ARMOR_PROFILE),
        'appArmorProfile is the AppArmor options to use by the containers in this pod. Note that this field cannot be set when spec.os.name is windows.',
      ),
      seLinuxChangePolicy: field(
        13,
        string,
        "seLinuxChangePolicy defines how the container's SELinux label is applied to all volumes used by the Pod.",
      ),
    },
  },
  {
    name: CAPABILITIES,
    description: 'Adds and removes POSIX capabilities from running containers.',
    fields: {
      add: field(1, list(string), 'Added capabilities.', { listType: 'atomic' }),
      drop: field(2, list(string), 'Removed capabilities.', { listType: 'atomic' }),
    },
  },
  {
    name: SE_LINUX_OPTIONS,
    description: 'SELinuxOptions are the labels to be applied to the container.',
    fields: {
      user: field(1, string, 'User is a SELinux user label that applies to the container.'),
      role: field(2, string, 'Role is a SELinux role label that applies to the container.'),
      type: field(3, string, 'Type is a SELinux type label that applies to the container.'),
      level: field(4, string, 'Level is SELinux level label that applies to the container.'),
    },
  },
  {
    name: SECCOMP_PROFILE,
    description: "SeccompProfile defines a pod/container's seccomp profile settings. Only one profile source may be set.",
    required: ['type'],
    fields: {
      type: field(1, string, 'type indicates which kind of seccomp profile will be applied. Valid options are:.', {
        enum: ['Localhost', 'RuntimeDefault', 'Unconfined'],
      }),
      localhostProfile: field(
        2,
        string,
        'localhostProfile indicates a profile defined in a file on the node should be used. The profile must be preconfigured on the node to work.',
      ),
    },
  },
  {
    name: APP_ARMOR_PROFILE,
    description: "AppArmorProfile defines a pod or container's AppArmor settings.",
    required: ['type'],
    fields: {
      type: field(
        1,
        string,
        'type indicates which kind of AppArmor profile will be applied. Valid options are: Localhost - a profile pre-loaded on the node.',
        { enum: ['Localhost', 'RuntimeDefault', 'Unconfined'] },
      ),
      localhostProfile: field(
        2,
        string,
        'localhostProfile indicates a profile loaded on the node that should be used. The profile must be preconfigured on the node to work.',
      ),
    },
  },
  {
    name: WINDOWS_SECURITY_CONTEXT_OPTIONS,
    description: 'WindowsSecurityContextOptions contain Windows-specific options and credentials.',
    fields: {
      gmsaCredentialSpecName: field(1, string, 'GMSACredentialSpecName is the name of the GMSA credential spec to use.'),
      gmsaCredentialSpec: field(
        2,
        string,
        'GMSACredentialSpec is where the GMSA admission webhook (https://github.com/kubernetes-sigs/windows-gmsa) inlines the contents of the GMSA credential spec named by the GMSACredentialSpecName field.',
      ),
      runAsUserName: field(
        3,
        string,
        'The UserName in Windows to run the entrypoint of the container process. Defaults to the user specified in image metadata if unspecified.',
      ),
      hostProcess: field(
        4,
        boolean,
        "HostProcess determines if a container should be run as a 'Host Process' container. All of a Pod's containers must have the same effective HostProcess value (it is not allowed to have a mix of HostProcess containers and non-HostProcess containers).",
      ),
    },
  },
  {
    name: SYSCTL,
    description: 'Sysctl defines a kernel parameter to be set.',
    required: ['name', 'value'],
    fields: {
      name: field(1, string, 'Name of a property to set.'),
      value: field(2, string, 'Value of a property to set.'),
    },
  },
);
