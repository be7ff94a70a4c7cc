/** Definition names of the core/v1 kinds and request bodies declared in this folder. */

import { CORE_V1 } from './pod-names.js';

export const CORE = CORE_V1;

export const NAMESPACE = `${CORE}.Namespace`;
export const SERVICE = `${CORE}.Service`;
export const ENDPOINTS = `${CORE}.Endpoints`;
export const CONFIG_MAP = `${CORE}.ConfigMap`;
export const SECRET = `${CORE}.Secret`;
export const SERVICE_ACCOUNT = `${CORE}.ServiceAccount`;
export const NODE = `${CORE}.Node`;
export const EVENT = `${CORE}.Event`;
export const REPLICATION_CONTROLLER = `${CORE}.ReplicationController`;
export const PERSISTENT_VOLUME = `${CORE}.PersistentVolume`;
export const PERSISTENT_VOLUME_CLAIM = `${CORE}.PersistentVolumeClaim`;
export const RESOURCE_QUOTA = `${CORE}.ResourceQuota`;
export const LIMIT_RANGE = `${CORE}.LimitRange`;
export const BINDING = `${CORE}.Binding`;

/** Bodies of requests and subresources (requests.ts). */
export const DELETE_OPTIONS = 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions';
export const STATUS = 'io.k8s.apimachinery.pkg.apis.meta.v1.Status';
export const TOKEN_REQUEST = 'io.k8s.api.authentication.v1.TokenRequest';
export const EVICTION = 'io.k8s.api.policy.v1.Eviction';
export const SCALE = 'io.k8s.api.autoscaling.v1.Scale';

/** Not an OpenAPI definition upstream: the message PersistentVolumeSpec embeds at proto field 2. */
export const PERSISTENT_VOLUME_SPEC = `${CORE}.PersistentVolumeSpec`;
export const PERSISTENT_VOLUME_SOURCE = `${CORE}.PersistentVolumeSource`;
export const PERSISTENT_VOLUME_CLAIM_SPEC = `${CORE}.PersistentVolumeClaimSpec`;
export const VOLUME_RESOURCE_REQUIREMENTS = `${CORE}.VolumeResourceRequirements`;
