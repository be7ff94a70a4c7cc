/**
 * Static pods of one node: the file source read from DATA/agent/manifests (every 2 s; upstream's
 * default file check is 20 s plus inotify) and their mirror pods in the API (pkg/kubelet/pod
 * mirror_client.go and the static-pod part of syncPod): a mirror pod is the static pod with
 * `kubernetes.io/config.mirror: <hash>` and the Node as its controlling owner; the kubelet writes
 * the static pod's status to it, recreates it when it is deleted or no longer matches the
 * manifest, and deletes mirror pods whose manifest is gone. Deleting a mirror pod does not
 * restart the static pod: its containers belong to the manifest.
 *
 *   new StaticPods(options: StaticPodsOptions)
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ResourceClient } from '../../client/interface.js';
import { isStatusError } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import { rfc3339Micro } from '../../machinery/time.js';
import {
  CONFIG_HASH_ANNOTATION,
  CONFIG_MIRROR_ANNOTATION,
  CONFIG_SEEN_ANNOTATION,
  CONFIG_SOURCE_ANNOTATION,
  FILE_SOURCE,
  readStaticPods,
} from './file-source.js';

export interface StaticPodsOptions {
  nodeName: string;
  /** The manifest directory. */
  dir: string;
  /** The core/v1 pods client. */
  pods: ResourceClient;
  /** The Node's uid for the mirror pods' ownerReference; undefined until the Node is known. */
  nodeUID(): string | undefined;
  /** Called with the key of a static pod that appeared, changed or went away. */
  onChange(key: string): void;
  report(message: string): void;
  /** Default 2000. */
  pollMs?: number;
}

/** A mirror pod: the API's reflection of a static pod (kubetypes.IsMirrorPod). */
export function isMirrorPod(pod: KubeObject): boolean {
  return pod.metadata.annotations?.[CONFIG_MIRROR_ANNOTATION] !== undefined;
}

/** A pod from the file source (kubetypes.IsStaticPod). */
export function isStaticPod(pod: KubeObject): boolean {
  return pod.metadata.annotations?.[CONFIG_SOURCE_ANNOTATION] === FILE_SOURCE && !isMirrorPod(pod);
}

function ignoreGone(err: unknown): void {
  if (isStatusError(err, 'NotFound') || isStatusError(err, 'Conflict')) return;
  throw err;
}

export class StaticPods {
  readonly #o: StaticPodsOptions;
  #pods = new Map<string, KubeObject>();
  #errors = '';

  constructor(options: StaticPodsOptions) {
    this.#o = options;
  }

  /** The static pod of a key, if the node's manifests have one. */
  get(key: string): KubeObject | undefined {
    return this.#pods.get(key);
  }

  /** Every static pod of the node. */
  all(): KubeObject[] {
    return [...this.#pods.values()];
  }

  /** Reads the manifests again; keys whose pod appeared, changed (by hash) or went away are reported. */
  async refresh(): Promise<void> {
    const { pods, errors } = await readStaticPods(this.#o.dir, this.#o.nodeName);
    const said = errors.join('\n');
    if (said !== this.#errors && said !== '') this.#o.report(said);
    this.#errors = said;
    const hash = (p: KubeObject | undefined) => p?.metadata.annotations?.[CONFIG_HASH_ANNOTATION];
    const changed = [...new Set([...pods.keys(), ...this.#pods.keys()])].filter((k) => hash(pods.get(k)) !== hash(this.#pods.get(k)));
    // kubernetes.io/config.seen: when this version of the manifest was first read
    const now = rfc3339Micro(Date.now());
    for (const [key, pod] of pods) {
      const seen = changed.includes(key) ? now : this.#pods.get(key)?.metadata.annotations?.[CONFIG_SEEN_ANNOTATION];
      pod.metadata.annotations = { ...pod.metadata.annotations, [CONFIG_SEEN_ANNOTATION]: seen ?? now };
    }
    this.#pods = pods;
    for (const key of changed) this.#o.onChange(key);
  }

  /** Polls the manifest directory until the signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await sleep(this.#o.pollMs ?? 2000, undefined, { signal }).catch(() => undefined);
      if (signal.aborted) return;
      await this.refresh().catch((err: Error) => this.#o.report(`static pods: ${err.message}`));
    }
  }

  /**
   * Makes the API's pod of the static pod's key its current mirror pod: a stale or deleted mirror
   * is removed (grace 0) and a new one created. Returns the mirror to write status to, undefined
   * when there is none yet (no Node uid, or a pod that is not a mirror holds the name).
   */
  async syncMirror(staticPod: KubeObject, apiPod: KubeObject | undefined): Promise<KubeObject | undefined> {
    const hash = staticPod.metadata.annotations?.[CONFIG_HASH_ANNOTATION] ?? '';
    if (apiPod && isMirrorPod(apiPod)) {
      if (apiPod.metadata.annotations?.[CONFIG_MIRROR_ANNOTATION] === hash && !apiPod.metadata.deletionTimestamp) return apiPod;
      await this.deleteMirror(apiPod);
    } else if (apiPod) return undefined;
    const nodeUID = this.#o.nodeUID();
    if (!nodeUID) return undefined;
    const { uid: _uid, ...meta } = staticPod.metadata;
    const mirror: KubeObject = {
      ...staticPod,
      metadata: {
        ...meta,
        annotations: { ...meta.annotations, [CONFIG_MIRROR_ANNOTATION]: hash },
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.#o.nodeName, uid: nodeUID, controller: true }],
      },
    };
    try {
      return await this.#o.pods.create(meta.namespace ?? '', mirror);
    } catch (err) {
      if (isStatusError(err, 'AlreadyExists')) return undefined;
      throw err;
    }
  }

  /** Deletes a mirror pod (its static pod is gone or it is stale): grace 0, only that uid. */
  async deleteMirror(mirror: KubeObject): Promise<void> {
    const { namespace = '', name = '', uid = '' } = mirror.metadata;
    await this.#o.pods.delete(namespace, name, { gracePeriodSeconds: 0, preconditions: { uid } }).catch(ignoreGone);
  }
}
