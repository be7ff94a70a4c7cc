/**
 * A container's environment as upstream's kubelet makes it (kubelet_pods.go
 * makeEnvironmentVariables): envFrom first (ConfigMaps and Secrets, with a prefix; keys that are
 * no valid variable names are skipped with an InvalidEnvironmentVariableNames event), then env in
 * order — literal values with `$(VAR)` expanded against the variables so far and the service
 * variables, or valueFrom (configMapKeyRef, secretKeyRef, fieldRef, resourceFieldRef) — then the
 * service environment variables not already set. A missing ConfigMap, Secret or key that is not
 * optional fails the container with upstream's message.
 */
import { asObj, objs, str, strMap, type Obj } from '../api/core/access.js';
import type { EventRecorder } from '../client/interface.js';
import type { KubeObject } from '../machinery/object.js';
import { isEnvVarName } from '../machinery/validation/formats.js';
import { CreateContainerConfigError } from './container-config-error.js';
import { containerResourceValue, type DownwardContext, type NodeAllocatable, podFieldValue } from './downward-api.js';
import { expand, mappingFuncFor } from './expansion.js';
import type { PodObjects } from './pod-objects.js';
import type { KeyValue } from './runtime/interface.js';
import { serviceEnvironment } from './service-env.js';

export interface EnvironmentInput extends DownwardContext {
  pod: KubeObject;
  container: Obj;
  objects: PodObjects;
  recorder: EventRecorder;
  /** The node's allocatable cpu and memory, for resourceFieldRef of unset limits. */
  allocatable?: NodeAllocatable;
}

type Source = { kind: 'configmap' | 'secret'; data: Record<string, string> };

/** Reads ConfigMaps and Secrets once per container; undefined for a missing optional one. */
class SourceCache {
  readonly #cache = new Map<string, Source>();
  readonly #objects: PodObjects;
  readonly #namespace: string;

  constructor(objects: PodObjects, namespace: string) {
    this.#objects = objects;
    this.#namespace = namespace;
  }

  async get(kind: Source['kind'], name: string, optional: boolean): Promise<Source | undefined> {
    const key = `${kind}/${name}`;
    const have = this.#cache.get(key);
    if (have) return have;
    const obj =
      kind === 'configmap' ? await this.#objects.configMap(this.#namespace, name) : await this.#objects.secret(this.#namespace, name);
    if (!obj) {
      if (optional) return undefined;
      throw new CreateContainerConfigError(`${kind} "${name}" not found`);
    }
    const source: Source = { kind, data: kind === 'configmap' ? strMap(obj['data']) : decodeSecretData(obj['data']) };
    this.#cache.set(key, source);
    return source;
  }
}

function decodeSecretData(data: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(strMap(data))) out[k] = Buffer.from(v, 'base64').toString('utf8');
  return out;
}

const KIND_NAME = { configmap: 'ConfigMap', secret: 'Secret' } as const;

/** The service variables the pod sees: its namespace's Services (enableServiceLinks) and `kubernetes` of default. */
async function podServiceEnvironment(pod: KubeObject, objects: PodObjects): Promise<Map<string, string>> {
  const namespace = pod.metadata.namespace ?? '';
  const links = asObj(pod['spec'])?.['enableServiceLinks'] !== false;
  const own = links ? await objects.services(namespace) : [];
  const defaults = namespace === 'default' ? own : await objects.services('default');
  return serviceEnvironment(links, own, defaults);
}

export async function makeEnvironmentVariables(input: EnvironmentInput): Promise<KeyValue[]> {
  const { pod, container } = input;
  const namespace = pod.metadata.namespace ?? '';
  const sources = new SourceCache(input.objects, namespace);
  const serviceEnv = await podServiceEnvironment(pod, input.objects);
  const env = new Map<string, string>();

  for (const from of objs(container['envFrom'])) {
    const ref = asObj(from['configMapRef']) ?? asObj(from['secretRef']);
    if (!ref) continue;
    const kind = asObj(from['configMapRef']) ? 'configmap' : 'secret';
    const name = str(ref['name']);
    const source = await sources.get(kind, name, ref['optional'] === true);
    if (!source) continue;
    const prefix = str(from['prefix']);
    const invalid: string[] = [];
    for (const [key, value] of Object.entries(source.data)) {
      const k = prefix + key;
      if (isEnvVarName(k).length > 0) invalid.push(k);
      else env.set(k, value);
    }
    if (invalid.length > 0) {
      invalid.sort();
      const what = kind === 'configmap' ? 'configMap' : 'secret';
      input.recorder.event(
        pod,
        'Warning',
        'InvalidEnvironmentVariableNames',
        `Keys [${invalid.join(', ')}] from the EnvFrom ${what} ${namespace}/${name} were skipped since they are considered invalid environment variable names.`,
      );
    }
  }

  const mapping = mappingFuncFor(env, serviceEnv);
  for (const e of objs(container['env'])) {
    const name = str(e['name']);
    const literal = str(e['value']);
    const from = asObj(e['valueFrom']);
    let value = literal;
    if (literal !== '') value = expand(literal, mapping);
    else if (from) {
      const resolved = await valueFrom(input, sources, from);
      if (resolved === undefined) continue;
      value = resolved;
    }
    env.set(name, value);
  }

  const result: KeyValue[] = [...env].map(([key, value]) => ({ key, value }));
  for (const [key, value] of serviceEnv) if (!env.has(key)) result.push({ key, value });
  return result;
}

/** One valueFrom; undefined when an optional source or key is missing (the variable is left out). */
async function valueFrom(input: EnvironmentInput, sources: SourceCache, from: Obj): Promise<string | undefined> {
  const fieldRef = asObj(from['fieldRef']);
  if (fieldRef) {
    try {
      return podFieldValue(input.pod, str(fieldRef['fieldPath']), input);
    } catch (err) {
      throw new CreateContainerConfigError((err as Error).message);
    }
  }
  const resourceRef = asObj(from['resourceFieldRef']);
  if (resourceRef) {
    try {
      return containerResourceValue(input.container, resourceRef, input.allocatable);
    } catch (err) {
      throw new CreateContainerConfigError((err as Error).message);
    }
  }
  const keyRef = asObj(from['configMapKeyRef']) ?? asObj(from['secretKeyRef']);
  if (!keyRef) return undefined;
  const kind = asObj(from['configMapKeyRef']) ? 'configmap' : 'secret';
  const name = str(keyRef['name']);
  const key = str(keyRef['key']);
  const optional = keyRef['optional'] === true;
  const source = await sources.get(kind, name, optional);
  if (!source) return undefined;
  const value = source.data[key];
  if (value !== undefined) return value;
  if (optional) return undefined;
  throw new CreateContainerConfigError(`couldn't find key ${key} in ${KIND_NAME[kind]} ${input.pod.metadata.namespace ?? ''}/${name}`);
}
