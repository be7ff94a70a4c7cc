/** Builders of pods, sets and deployments for controller unit tests. */
import type { KubeObject } from '../../../machinery/object.js';
import type { Deployment, Pod, ReplicaSet } from '../types.js';
import { rfc3339 } from '../../../machinery/time.js';

export const NS = 'default';

export function template(
  labels: Record<string, string>,
  image = 'nginx:1.14.2',
): { metadata: { labels: Record<string, string> }; spec: Record<string, unknown> } {
  return { metadata: { labels }, spec: { containers: [{ name: 'nginx', image }] } };
}

export function replicaSet(
  name: string,
  replicas: number,
  labels: Record<string, string> = { app: name },
  extra: Partial<ReplicaSet['spec']> = {},
): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: NS, labels: { ...labels } },
    spec: { replicas, selector: { matchLabels: labels }, template: template(labels), ...extra },
  };
}

export interface PodState {
  phase?: 'Pending' | 'Running' | 'Unknown' | 'Succeeded' | 'Failed';
  nodeName?: string;
  /** Ready since this epoch ms (ready when set). */
  readySince?: number;
  created?: number;
  restarts?: number;
  owner?: KubeObject;
  deletionCost?: number;
}

export function pod(name: string, labels: Record<string, string>, s: PodState = {}): Pod {
  const p: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, labels, uid: `uid-${name}` },
    spec: { containers: [{ name: 'c', image: 'x' }] },
    status: { phase: s.phase ?? 'Running' },
  };
  if (s.nodeName) p.spec!.nodeName = s.nodeName;
  if (s.created !== undefined) p.metadata.creationTimestamp = rfc3339(s.created);
  if (s.deletionCost !== undefined) p.metadata.annotations = { 'controller.kubernetes.io/pod-deletion-cost': String(s.deletionCost) };
  if (s.readySince !== undefined) p.status!.conditions = [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(s.readySince) }];
  if (s.restarts !== undefined) p.status!.containerStatuses = [{ name: 'c', restartCount: s.restarts }];
  if (s.owner) {
    p.metadata.ownerReferences = [
      {
        apiVersion: s.owner.apiVersion ?? '',
        kind: s.owner.kind ?? '',
        name: s.owner.metadata.name ?? '',
        uid: s.owner.metadata.uid ?? '',
        controller: true,
        blockOwnerDeletion: true,
      },
    ];
  }
  return p;
}

export function deployment(name: string, replicas: number, extra: Partial<Deployment['spec']> = {}): Deployment {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS, generation: 1 },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: template(labels),
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      ...extra,
    },
  };
}
