/**
 * Small type definitions shaped like upstream's, under test-only names, for the apply tests.
 * (Types are declared once per process; importing this module twice is harmless.)
 */
import '../../../api/meta/types.js';
import { boolean, bytes, defineTypes, field, int32, LABEL_SELECTOR, list, map, OBJECT_META, ref, string } from '../../schema/dsl.js';

export const T = 'test.apply.v1';
export const DEPLOYMENT = `${T}.Deployment`;
export const CONFIG_MAP = `${T}.ConfigMap`;

defineTypes(
  {
    name: CONFIG_MAP,
    gvk: { group: 'test.apply', version: 'v1', kind: 'ConfigMap' },
    fields: {
      apiVersion: field(0, string),
      kind: field(0, string),
      metadata: field(1, ref(OBJECT_META)),
      data: field(2, map(string)),
      binaryData: field(3, map(bytes)),
      immutable: field(4, boolean),
    },
  },
  {
    name: DEPLOYMENT,
    gvk: { group: 'test.apply', version: 'v1', kind: 'Deployment' },
    fields: {
      apiVersion: field(0, string),
      kind: field(0, string),
      metadata: field(1, ref(OBJECT_META)),
      spec: field(2, ref(`${T}.DeploymentSpec`)),
      status: field(3, ref(`${T}.DeploymentStatus`)),
    },
  },
  {
    name: `${T}.DeploymentSpec`,
    required: ['selector', 'template'],
    fields: {
      replicas: field(1, int32),
      selector: field(2, ref(LABEL_SELECTOR)),
      template: field(3, ref(`${T}.PodTemplateSpec`)),
      strategy: field(4, ref(`${T}.DeploymentStrategy`)),
      paused: field(7, boolean),
    },
  },
  {
    name: `${T}.DeploymentStrategy`,
    fields: {
      type: field(1, string),
      rollingUpdate: field(2, ref(`${T}.RollingUpdateDeployment`)),
    },
  },
  {
    name: `${T}.RollingUpdateDeployment`,
    fields: { maxUnavailable: field(1, string), maxSurge: field(2, string) },
  },
  {
    name: `${T}.DeploymentStatus`,
    fields: { replicas: field(2, int32), readyReplicas: field(7, int32) },
  },
  {
    name: `${T}.PodTemplateSpec`,
    fields: { metadata: field(1, ref(OBJECT_META)), spec: field(2, ref(`${T}.PodSpec`)) },
  },
  {
    name: `${T}.PodSpec`,
    required: ['containers'],
    fields: {
      containers: field(2, list(ref(`${T}.Container`)), undefined, {
        patchStrategy: 'merge',
        patchMergeKey: 'name',
        listType: 'map',
        listMapKeys: ['name'],
      }),
      // No listType: the strategic-merge key is the fallback, as upstream's OpenAPI conversion does.
      volumes: field(1, list(ref(`${T}.Volume`)), undefined, { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name' }),
      tolerations: field(22, list(ref(`${T}.Toleration`)), undefined, { listType: 'atomic' }),
      nodeSelector: field(7, map(string), undefined, { mapType: 'atomic' }),
      hostname: field(16, string),
    },
  },
  {
    name: `${T}.Volume`,
    fields: { name: field(1, string), emptyDir: field(2, ref(`${T}.EmptyDir`)) },
  },
  { name: `${T}.EmptyDir`, fields: { medium: field(1, string) } },
  { name: `${T}.Toleration`, fields: { key: field(1, string), effect: field(4, string) } },
  {
    name: `${T}.Container`,
    fields: {
      name: field(1, string),
      image: field(2, string),
      args: field(4, list(string), undefined, { listType: 'atomic' }),
      ports: field(6, list(ref(`${T}.ContainerPort`)), undefined, {
        listType: 'map',
        listMapKeys: ['containerPort', 'protocol'],
      }),
      env: field(7, list(ref(`${T}.EnvVar`)), undefined, {
        patchStrategy: 'merge',
        patchMergeKey: 'name',
        listType: 'map',
        listMapKeys: ['name'],
      }),
      imagePullPolicy: field(14, string),
    },
  },
  {
    name: `${T}.ContainerPort`,
    fields: {
      name: field(1, string),
      containerPort: field(3, int32),
      protocol: field(4, string, undefined, { default: 'TCP' }),
    },
  },
  { name: `${T}.EnvVar`, fields: { name: field(1, string), value: field(2, string) } },
);
