/** core/v1: Projected volumes and their projections. */
import { LABEL_SELECTOR, boolean, defineTypes, field, int32, int64, list, ref, string } from '../../../machinery/schema/dsl.js';
import { embed } from './pod-embedding.js';
import { localObjectReferenceFields } from './pod-references.js';
import {
  CLUSTER_TRUST_BUNDLE_PROJECTION,
  CONFIG_MAP_PROJECTION,
  DOWNWARD_API_PROJECTION,
  DOWNWARD_API_VOLUME_FILE,
  KEY_TO_PATH,
  LOCAL_OBJECT_REFERENCE,
  OBJECT_FIELD_SELECTOR,
  POD_CERTIFICATE_PROJECTION,
  PROJECTED_VOLUME_SOURCE,
  RESOURCE_FIELD_SELECTOR,
  SECRET_PROJECTION,
  SERVICE_ACCOUNT_TOKEN_PROJECTION,
  VOLUME_PROJECTION,
} from './pod-names.js';

defineTypes(
  {
    name: PROJECTED_VOLUME_SOURCE,
    description: 'Represents a projected volume source.',
    fields: {
      sources: field(
        1,
        list(ref(VOLUME_PROJECTION)),
        'sources is the list of volume projections. Each entry in this list handles one source.',
        { listType: 'atomic' },
      ),
      defaultMode: field(
        2,
        int32,
        'defaultMode are the mode bits used to set permissions on created files by default. Must be an octal value between 0000 and 0777 or a decimal value between 0 and 511.',
      ),
    },
  },
  {
    name: VOLUME_PROJECTION,
    description: 'Projection that may be projected along with other supported volume types. Exactly one of these fields must be set.',
    fields: {
      secret: field(1, ref(SECRET_PROJECTION), 'secret information about the secret data to project.'),
      downwardAPI: field(2, ref(DOWNWARD_API_PROJECTION), 'downwardAPI information about the downwardAPI data to project.'),
      configMap: field(3, ref(CONFIG_MAP_PROJECTION), 'configMap information about the configMap data to project.'),
      serviceAccountToken: field(
        4,
        ref(SERVICE_ACCOUNT_TOKEN_PROJECTION),
        'serviceAccountToken is information about the serviceAccountToken data to project.',
      ),
      clusterTrustBundle: field(
        5,
        ref(CLUSTER_TRUST_BUNDLE_PROJECTION),
        'ClusterTrustBundle allows a pod to access the `.spec.trustBundle` field of ClusterTrustBundle objects in an auto-updating file.',
      ),
      podCertificate: field(
        6,
        ref(POD_CERTIFICATE_PROJECTION),
        'Projects an auto-rotating credential bundle (private key and certificate chain) that the pod can use either as a TLS client or server.',
      ),
    },
  },
  {
    name: SERVICE_ACCOUNT_TOKEN_PROJECTION,
    description:
      'ServiceAccountTokenProjection represents a projected service account token volume. This projection can be used to insert a service account token into the pods runtime filesystem for use against APIs (Kubernetes API Server or otherwise).',
    required: ['path'],
    fields: {
      audience: field(
        1,
        string,
        'audience is the intended audience of the token. A recipient of a token must identify itself with an identifier specified in the audience of the token, and otherwise should reject the token.',
      ),
      expirationSeconds: field(
        2,
        int64,
        'expirationSeconds is the requested duration of validity of the service account token. As the token approaches expiration, the kubelet volume plugin will proactively rotate the service account token.',
      ),
      path: field(3, string, 'path is the path relative to the mount point of the file to project the token into.'),
    },
  },
  {
    name: CLUSTER_TRUST_BUNDLE_PROJECTION,
    description:
      'ClusterTrustBundleProjection describes how to select a set of ClusterTrustBundle objects and project their contents into the pod filesystem.',
    required: ['path'],
    fields: {
      name: field(1, string, 'Select a single ClusterTrustBundle by object name. Mutually-exclusive with signerName and labelSelector.'),
      signerName: field(2, string, 'Select all ClusterTrustBundles that match this signer name. Mutually-exclusive with name.'),
      labelSelector: field(
        3,
        ref(LABEL_SELECTOR),
        'Select all ClusterTrustBundles that match this label selector. Only has effect if signerName is set.',
      ),
      optional: field(
        5,
        boolean,
        "If true, don't block pod startup if the referenced ClusterTrustBundle(s) aren't available. If using name, then the named ClusterTrustBundle is allowed not to exist.",
      ),
      path: field(4, string, 'Relative path from the volume root to write the bundle.'),
    },
  },
  {
    name: CONFIG_MAP_PROJECTION,
    description: 'Adapts a ConfigMap into a projected volume.',
    fields: {
      ...embed(CONFIG_MAP_PROJECTION, 1, LOCAL_OBJECT_REFERENCE, localObjectReferenceFields),
      items: field(
        2,
        list(ref(KEY_TO_PATH)),
        'items if unspecified, each key-value pair in the Data field of the referenced ConfigMap will be projected into the volume as a file whose name is the key and content is the value.',
        { listType: 'atomic' },
      ),
      optional: field(4, boolean, 'optional specify whether the ConfigMap or its keys must be defined.'),
    },
  },
  {
    name: SECRET_PROJECTION,
    description: 'Adapts a secret into a projected volume.',
    fields: {
      ...embed(SECRET_PROJECTION, 1, LOCAL_OBJECT_REFERENCE, localObjectReferenceFields),
      items: field(
        2,
        list(ref(KEY_TO_PATH)),
        'items if unspecified, each key-value pair in the Data field of the referenced Secret will be projected into the volume as a file whose name is the key and content is the value.',
        { listType: 'atomic' },
      ),
      optional: field(4, boolean, 'optional field specify whether the Secret or its key must be defined.'),
    },
  },
  {
    name: DOWNWARD_API_PROJECTION,
    description:
      'Represents downward API info for projecting into a projected volume. Note that this is identical to a downwardAPI volume source without the default mode.',
    fields: {
      items: field(1, list(ref(DOWNWARD_API_VOLUME_FILE)), 'Items is a list of DownwardAPIVolume file.', { listType: 'atomic' }),
    },
  },
  {
    name: DOWNWARD_API_VOLUME_FILE,
    description: 'DownwardAPIVolumeFile represents information to create the file containing the pod field.',
    required: ['path'],
    fields: {
      path: field(
        1,
        string,
        "Required: Path is the relative path name of the file to be created. Must not be absolute or contain the '..' path.",
      ),
      fieldRef: field(
        2,
        ref(OBJECT_FIELD_SELECTOR),
        'Required: Selects a field of the pod: only annotations, labels, name, namespace and uid are supported.',
      ),
      resourceFieldRef: field(
        3,
        ref(RESOURCE_FIELD_SELECTOR),
        'Selects a resource of the container: only resources limits and requests (limits.cpu, limits.memory, requests.cpu and requests.memory) are currently supported.',
      ),
      mode: field(
        4,
        int32,
        'Optional: mode bits used to set permissions on this file, must be an octal value between 0000 and 0777 or a decimal value between 0 and 511.',
      ),
    },
  },
  {
    name: POD_CERTIFICATE_PROJECTION,
    description: 'PodCertificateProjection provides a private key and X.509 certificate in the pod filesystem.',
    required: ['signerName', 'keyType'],
    fields: {
      signerName: field(1, string, "Kubelet's generated CSRs will be addressed to this signer."),
      keyType: field(2, string, 'The type of keypair Kubelet will generate for the pod.'),
      maxExpirationSeconds: field(3, int32, 'maxExpirationSeconds is the maximum lifetime permitted for the certificate.'),
      credentialBundlePath: field(4, string, 'Write the credential bundle at this path in the projected volume.'),
      keyPath: field(5, string, 'Write the key at this path in the projected volume.'),
      certificateChainPath: field(6, string, 'Write the certificate chain at this path in the projected volume.'),
    },
  },
);
