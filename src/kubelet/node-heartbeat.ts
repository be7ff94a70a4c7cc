/**
 * Registration and heartbeats of many nodes from one process (kubelet_node_status.go and
 * nodelease): each node is registered once, renews its Lease in kube-node-lease every 10 s and
 * re-reports its status every 5 min or as soon as the API shows its conditions otherwise.
 * Renewals are spread over the interval in slots served by one timer, a bounded number at a
 * time, so 1,000 nodes cost 100 lease writes a second and no timer each.
 */
import { objs, type Obj } from '../api/core/access.js';
import type { Lister, ResourceClient } from '../client/interface.js';
import { isStatusError } from '../machinery/errors.js';
import type { KubeObject } from '../machinery/object.js';
import type { Clock } from './clock.js';
import { initialNode, type NodeDescription, type NodeHealth, nodeConditions, nodeLabels, nodeStatus } from './node-status.js';
import { cloneJson } from '../machinery/clone.js';
import { rfc3339Micro } from '../machinery/time.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

export interface NodeHeartbeatOptions {
  nodes: ResourceClient;
  leases: ResourceClient;
  clock: Clock;
  /** The nodes informer's lister, to notice conditions changed by others. */
  nodeLister?: Lister;
  renewIntervalMs?: number;
  leaseDurationSeconds?: number;
  statusReportMs?: number;
  /** Concurrent writes per slot. */
  concurrency?: number;
  onError?: (nodeName: string, err: unknown) => void;
}

interface Member {
  d: NodeDescription;
  uid: string;
  lease: KubeObject | undefined;
  lastReport: number;
  /** The conditions last reported, for transition times when no lister shows them. */
  conditions: Obj[];
  busy: boolean;
  /** The node's health (Ready=False's message, pressure), asked at every heartbeat. */
  health?: () => Promise<NodeHealth>;
}

/** Whether a condition's status or message changed (a heartbeat time alone is no change). */
function conditionsDiffer(shown: Obj[], want: Obj[]): boolean {
  return want.some((w) => {
    const s = shown.find((c) => c['type'] === w['type']);
    return s?.['status'] !== w['status'] || s?.['message'] !== w['message'];
  });
}

async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let i = 0;
  const worker = async (): Promise<void> => {
    while (i < items.length) await fn(items[i++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export class NodeHeartbeats {
  readonly #o: Required<Omit<NodeHeartbeatOptions, 'nodeLister'>> & { nodeLister?: Lister };
  readonly #members: Member[] = [];
  #cancel: (() => void) | undefined;
  #slot = 0;

  constructor(options: NodeHeartbeatOptions) {
    this.#o = {
      renewIntervalMs: 10_000,
      leaseDurationSeconds: 40,
      statusReportMs: 300_000,
      concurrency: 16,
      onError: (name, err) => console.error(`node ${name}: heartbeat: ${err instanceof Error ? err.message : String(err)}`),
      ...options,
    };
  }

  /**
   * Registers the node (tryRegisterWithAPIServer), reports its status and creates its Lease.
   * `health` is asked at every heartbeat; a change of the conditions it gives is reported at once.
   */
  async register(d: NodeDescription, health?: () => Promise<NodeHealth>): Promise<KubeObject> {
    const now = this.#o.clock.now();
    const healthNow = (await health?.()) ?? {};
    let node: KubeObject;
    try {
      node = await this.#o.nodes.create('', initialNode(d, now, healthNow));
    } catch (err) {
      if (!isStatusError(err, 'AlreadyExists')) throw err;
      // an existing Node of this name is ours: reconcile labels, report a fresh status
      await this.#o.nodes.patch('', d.name, 'merge', { metadata: { labels: nodeLabels(d) } });
      const existing = await this.#o.nodes.get('', d.name);
      const previous = objs((existing['status'] as Obj | undefined)?.['conditions']);
      node = await this.#o.nodes.patch('', d.name, 'merge', { status: nodeStatus(d, now, previous, healthNow) }, { subresource: 'status' });
    }
    const conditions = objs((node['status'] as Obj | undefined)?.['conditions']);
    const member: Member = { d, uid: node.metadata.uid ?? '', lease: undefined, lastReport: now, conditions, busy: false };
    if (health) member.health = health;
    this.#members.push(member);
    await this.#renew(member);
    return node;
  }

  /** Renews leases and reports statuses until the signal aborts; stopping ends the heartbeats. */
  run(signal: AbortSignal): void {
    if (signal.aborted) return;
    const slots = Math.max(1, Math.min(100, this.#members.length));
    const slotMs = this.#o.renewIntervalMs / slots;
    const tick = (): void => {
      if (signal.aborted) return;
      const n = Math.max(1, Math.min(100, this.#members.length));
      const slot = this.#slot++ % n;
      const due = this.#members.filter((_, i) => i % n === slot && !this.#members[i]?.busy);
      void eachLimited(due, this.#o.concurrency, (m) => this.#beat(m));
      this.#cancel = this.#o.clock.setTimeout(tick, this.#o.renewIntervalMs / n);
    };
    this.#cancel = this.#o.clock.setTimeout(tick, slotMs);
    signal.addEventListener('abort', () => this.#cancel?.(), { once: true });
  }

  /** Checks the node's readiness now (e.g. its pod network just came up) and reports a change. */
  checkNow(nodeName: string): void {
    const m = this.#members.find((x) => x.d.name === nodeName);
    if (m && !m.busy) void this.#beat(m, false);
  }

  async #beat(m: Member, renew = true): Promise<void> {
    m.busy = true;
    try {
      if (renew) await this.#renew(m);
      const now = this.#o.clock.now();
      const health = (await m.health?.()) ?? {};
      const shown = this.#o.nodeLister?.get('', m.d.name);
      const previous = shown ? objs((shown['status'] as Obj | undefined)?.['conditions']) : m.conditions;
      const drifted = (shown !== undefined || m.health !== undefined) && conditionsDiffer(previous, nodeConditions(now, previous, health));
      if (drifted || now - m.lastReport >= this.#o.statusReportMs) {
        const status = nodeStatus(m.d, now, previous, health);
        await this.#o.nodes.patch('', m.d.name, 'merge', { status }, { subresource: 'status' });
        m.conditions = status['conditions'] as Obj[];
        m.lastReport = now;
      }
    } catch (err) {
      this.#o.onError(m.d.name, err);
    } finally {
      m.busy = false;
    }
  }

  /** One renewal: update the cached Lease; on conflict or absence, re-read or create it. */
  async #renew(m: Member): Promise<void> {
    const renewTime = rfc3339Micro(this.#o.clock.now());
    if (m.lease) {
      const next = cloneJson(m.lease);
      (next['spec'] as Obj)['renewTime'] = renewTime;
      try {
        m.lease = await this.#o.leases.update(NODE_LEASE_NAMESPACE, next);
        return;
      } catch (err) {
        m.lease = undefined;
        if (!isStatusError(err, 'Conflict') && !isStatusError(err, 'NotFound')) throw err;
      }
    }
    const spec = { holderIdentity: m.d.name, leaseDurationSeconds: this.#o.leaseDurationSeconds, renewTime };
    try {
      const current = await this.#o.leases.get(NODE_LEASE_NAMESPACE, m.d.name);
      current['spec'] = { ...(current['spec'] as Obj | undefined), ...spec };
      m.lease = await this.#o.leases.update(NODE_LEASE_NAMESPACE, current);
    } catch (err) {
      if (!isStatusError(err, 'NotFound')) throw err;
      m.lease = await this.#o.leases.create(NODE_LEASE_NAMESPACE, {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: {
          name: m.d.name,
          namespace: NODE_LEASE_NAMESPACE,
          ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: m.d.name, uid: m.uid }],
        },
        spec,
      });
    }
  }
}
