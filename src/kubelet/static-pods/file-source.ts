/**
 * The kubelet's file source of static pods (pkg/kubelet/config/file.go + common.go applyDefaults):
 * every manifest in the directory (dotfiles skipped) is one Pod in YAML or JSON, named
 * `<name>-<nodeName>`, in namespace "default" unless it says otherwise, bound to the node, with a
 * UID that hashes its content, node and file (also its `kubernetes.io/config.hash`), the source
 * annotation `kubernetes.io/config.source: file`, and a NoExecute toleration of everything.
 *
 *   readStaticPods(dir: string, nodeName: string): Promise<StaticPodManifests>
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { asObj, objs } from '../../api/core/access.js';
import type { KubeObject } from '../../machinery/object.js';

export const CONFIG_HASH_ANNOTATION = 'kubernetes.io/config.hash';
export const CONFIG_SOURCE_ANNOTATION = 'kubernetes.io/config.source';
export const CONFIG_MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';
export const CONFIG_SEEN_ANNOTATION = 'kubernetes.io/config.seen';
export const FILE_SOURCE = 'file';

export interface StaticPodManifests {
  /** The static pods by `namespace/name`. */
  pods: Map<string, KubeObject>;
  /** Manifests that could not be read as a Pod, with why (upstream logs them and goes on). */
  errors: string[];
}

/** A manifest's Pod as the kubelet runs it (applyDefaults). */
export function staticPodFrom(manifest: KubeObject, nodeName: string, file: string): KubeObject {
  const pod = structuredClone(manifest);
  const hash = createHash('md5').update(JSON.stringify(manifest)).update(`host:${nodeName}`).update(`file:${file}`).digest('hex');
  pod.metadata = {
    ...pod.metadata,
    name: `${pod.metadata.name ?? ''}-${nodeName.toLowerCase()}`,
    namespace: pod.metadata.namespace || 'default',
    uid: hash,
    annotations: { ...pod.metadata.annotations, [CONFIG_HASH_ANNOTATION]: hash, [CONFIG_SOURCE_ANNOTATION]: FILE_SOURCE },
  };
  const spec = asObj(pod['spec']) ?? {};
  spec['nodeName'] = nodeName;
  const tolerations = objs(spec['tolerations']);
  spec['tolerations'] = [...tolerations, { operator: 'Exists', effect: 'NoExecute' }];
  pod['spec'] = spec;
  delete pod['status'];
  return pod;
}

async function readManifest(path: string): Promise<KubeObject> {
  const doc = parse(await readFile(path, 'utf8')) as unknown;
  const obj = asObj(doc);
  if (obj?.['kind'] !== 'Pod' || !asObj(obj['metadata'])?.['name']) throw new Error('not a Pod manifest with a name');
  return obj as unknown as KubeObject;
}

export async function readStaticPods(dir: string, nodeName: string): Promise<StaticPodManifests> {
  const out: StaticPodManifests = { pods: new Map(), errors: [] };
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => !f.startsWith('.')).sort();
  for (const file of files) {
    const path = join(dir, file);
    try {
      const pod = staticPodFrom(await readManifest(path), nodeName, path);
      out.pods.set(`${pod.metadata.namespace}/${pod.metadata.name}`, pod);
    } catch (err) {
      out.errors.push(`static pod ${path}: ${(err as Error).message}`);
    }
  }
  return out;
}
