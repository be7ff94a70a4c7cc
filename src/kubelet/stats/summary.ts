/**
 * The kubelet's /stats/summary (stats/v1alpha1 Summary, upstream pkg/kubelet/server/stats):
 * the node's CPU, memory, file system and process counts, and per pod its containers' CPU and
 * memory from CRI ListContainerStats (containerd 1.6.20's ListPodSandboxStats fails for sandboxes
 * without a cgroup parent — "cgroupPath is empty" — so a pod's usage is the sum of its
 * containers'). usageNanoCores is a rate over two samples of usageCoreNanoSeconds (cpu-rate.ts;
 * containerd's own is 0 on its first sample); the first Summary for a container or the node
 * takes a second sample 100 ms after the first. Simulated nodes have no host of their own:
 * their node usage is the sum of their containers'.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { asObj, str } from '../../api/core/access.js';
import type { KubeObject } from '../../machinery/object.js';
import { rfc3339 } from '../../machinery/time.js';
import type { Kubelet } from '../kubelet.js';
import { CONTAINER_NAME_LABEL, POD_NAME_LABEL, POD_NAMESPACE_LABEL, POD_UID_LABEL } from '../runtime-view.js';
import type { ContainerStats } from '../runtime/interface.js';
import { CpuRates } from './cpu-rate.js';
import { hostBootTime, hostCpu, hostFs, hostMemory, hostRlimit } from './host-stats.js';

type Obj = Record<string, unknown>;
const SECOND_SAMPLE_MS = 100;

export interface SummaryOptions {
  /** The node's data directory: its file system is node.fs (real nodes). */
  dataDir?: string;
  now?: () => number;
}

function cpuStats(time: number, usageCoreNanoSeconds: number | undefined, usageNanoCores: number | undefined): Obj {
  const cpu: Obj = { time: rfc3339(time) };
  if (usageNanoCores !== undefined) cpu['usageNanoCores'] = usageNanoCores;
  if (usageCoreNanoSeconds !== undefined) cpu['usageCoreNanoSeconds'] = usageCoreNanoSeconds;
  return cpu;
}

function sum(values: (number | undefined)[]): number | undefined {
  return values.some((v) => v !== undefined) ? values.reduce<number>((a, v) => a + (v ?? 0), 0) : undefined;
}

function memoryOf(s: ContainerStats): Obj {
  const m = s.memory;
  const out: Obj = { time: rfc3339(m?.timestamp ?? Date.now()) };
  // containerd reports availableBytes 0 for a container without a memory limit: leave it out
  if (m?.availableBytes) out['availableBytes'] = m.availableBytes;
  for (const key of ['usageBytes', 'workingSetBytes', 'rssBytes', 'pageFaults', 'majorPageFaults'] as const) {
    if (m?.[key] !== undefined) out[key] = m[key];
  }
  return out;
}

export class SummaryProvider {
  /** Per node: simulated nodes share one kubelet server, and each forgets only its own containers. */
  readonly #ratesByNode = new Map<string, CpuRates>();
  readonly #o: SummaryOptions;

  constructor(options: SummaryOptions = {}) {
    this.#o = options;
  }

  /** The rates of the containers' CPU, sampling twice for containers seen for the first time. */
  #rates(nodeName: string): CpuRates {
    let rates = this.#ratesByNode.get(nodeName);
    if (!rates) this.#ratesByNode.set(nodeName, (rates = new CpuRates()));
    return rates;
  }

  async #containerStats(kubelet: Kubelet): Promise<{ stats: ContainerStats[]; rates: Map<string, number | undefined> }> {
    const cpuRates = this.#rates(kubelet.nodeName);
    let stats = await kubelet.runtime.listContainerStats();
    const rates = new Map<string, number | undefined>();
    const observe = (list: ContainerStats[]): void => {
      for (const s of list) {
        const id = s.attributes.id;
        const usage = s.cpu?.usageCoreNanoSeconds;
        const rate =
          usage !== undefined ? cpuRates.observe(id, { timestamp: s.cpu?.timestamp ?? 0, usageCoreNanoSeconds: usage }) : undefined;
        rates.set(id, rate ?? s.cpu?.usageNanoCores);
      }
    };
    const fresh = stats.some((s) => s.cpu?.usageCoreNanoSeconds !== undefined && !cpuRates.has(s.attributes.id));
    observe(stats);
    if (fresh) {
      await sleep(SECOND_SAMPLE_MS);
      stats = await kubelet.runtime.listContainerStats();
      observe(stats);
    }
    return { stats, rates };
  }

  async #hostCpu(nodeName: string): Promise<{ usage: number; rate: number | undefined; time: number }> {
    const key = `node/${nodeName}`;
    const now = this.#o.now ?? Date.now;
    let time = now();
    let usage = (await hostCpu()).usageCoreNanoSeconds;
    const cpuRates = this.#rates(nodeName);
    let rate = cpuRates.observe(key, { timestamp: time, usageCoreNanoSeconds: usage });
    if (rate === undefined) {
      await sleep(SECOND_SAMPLE_MS);
      time = now();
      usage = (await hostCpu()).usageCoreNanoSeconds;
      rate = cpuRates.observe(key, { timestamp: time, usageCoreNanoSeconds: usage });
    }
    return { usage, rate, time };
  }

  async summary(kubelet: Kubelet, pods: KubeObject[]): Promise<Obj> {
    const now = (this.#o.now ?? Date.now)();
    const { stats, rates } = await this.#containerStats(kubelet);
    const created = new Map((await kubelet.runtime.listContainers({ state: 'CONTAINER_RUNNING' })).map((c) => [c.id, c.createdAt]));
    const byUid = new Map<string, ContainerStats[]>();
    for (const s of stats) {
      const uid = s.attributes.labels[POD_UID_LABEL] ?? '';
      byUid.set(uid, [...(byUid.get(uid) ?? []), s]);
    }
    const podList: Obj[] = [];
    const known = new Map(pods.map((p) => [p.metadata.uid ?? '', p]));
    for (const [uid, list] of byUid) {
      const pod = known.get(uid);
      const first = list[0]?.attributes.labels ?? {};
      const containers = list.map((s) => ({
        name: s.attributes.labels[CONTAINER_NAME_LABEL] ?? s.attributes.metadata.name,
        startTime: rfc3339(created.get(s.attributes.id) ?? now),
        cpu: cpuStats(s.cpu?.timestamp ?? now, s.cpu?.usageCoreNanoSeconds, rates.get(s.attributes.id)),
        memory: memoryOf(s),
        ...(s.writableLayer
          ? {
              rootfs: {
                time: rfc3339(s.writableLayer.timestamp || now),
                usedBytes: s.writableLayer.usedBytes ?? 0,
                inodesUsed: s.writableLayer.inodesUsed ?? 0,
              },
            }
          : {}),
      }));
      const podStart = str(asObj(pod?.['status'])?.['startTime']);
      podList.push({
        podRef: {
          name: pod?.metadata.name ?? first[POD_NAME_LABEL] ?? '',
          namespace: pod?.metadata.namespace ?? first[POD_NAMESPACE_LABEL] ?? '',
          uid,
        },
        startTime: podStart || rfc3339(now),
        containers,
        cpu: cpuStats(now, sum(list.map((s) => s.cpu?.usageCoreNanoSeconds)), sum(list.map((s) => rates.get(s.attributes.id)))),
        memory: {
          time: rfc3339(now),
          ...Object.fromEntries(
            (['usageBytes', 'workingSetBytes', 'rssBytes', 'pageFaults', 'majorPageFaults'] as const).flatMap((k) => {
              const v = sum(list.map((s) => s.memory?.[k]));
              return v === undefined ? [] : [[k, v]];
            }),
          ),
        },
      });
    }
    this.#rates(kubelet.nodeName).retain(new Set([...stats.map((s) => s.attributes.id), `node/${kubelet.nodeName}`]));
    return { node: await this.#node(kubelet, stats, rates, now), pods: podList };
  }

  async #node(kubelet: Kubelet, stats: ContainerStats[], rates: Map<string, number | undefined>, now: number): Promise<Obj> {
    const node: Obj = { nodeName: kubelet.nodeName, systemContainers: [] };
    if (kubelet.runtimeName === 'fake') {
      node['startTime'] = rfc3339(now);
      node['cpu'] = cpuStats(now, sum(stats.map((s) => s.cpu?.usageCoreNanoSeconds)) ?? 0, sum([...rates.values()]) ?? 0);
      node['memory'] = {
        time: rfc3339(now),
        workingSetBytes: sum(stats.map((s) => s.memory?.workingSetBytes)) ?? 0,
        usageBytes: sum(stats.map((s) => s.memory?.usageBytes)) ?? 0,
      };
      return node;
    }
    const [cpu, memory, rlimit, fs, boot] = await Promise.all([
      this.#hostCpu(kubelet.nodeName),
      hostMemory(),
      hostRlimit(),
      this.#o.dataDir ? hostFs(this.#o.dataDir) : undefined,
      hostBootTime(),
    ]);
    node['startTime'] = rfc3339(boot);
    node['cpu'] = cpuStats(cpu.time, cpu.usage, cpu.rate);
    node['memory'] = { time: rfc3339(now), ...memory };
    if (fs) node['fs'] = { time: rfc3339(now), ...fs };
    node['rlimit'] = { time: rfc3339(now), ...rlimit };
    return node;
  }
}
