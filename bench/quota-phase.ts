/**
 * The quota phase: pods created through the registry (strategy, admission, SQLite storage) in
 * this process, into a namespace without a ResourceQuota and into one whose quota tracks pods,
 * requests and limits — so the difference is the ResourceQuota admission's check and its
 * compare-and-swap charge of status.used. One at a time and 16 in flight (where charges
 * conflict and retry). Bounded by a count and a time per case; prints creates per second.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { coreResources } from '../src/api/core/resources.js';
import { AdmissionChain } from '../src/apiserver/admission/interface.js';
import { ResourceQuotaAdmission } from '../src/apiserver/admission/resource-quota.js';
import { ApiRegistry } from '../src/apiserver/api-registry.js';
import type { WriteOptions } from '../src/apiserver/registry/context.js';
import { managedFieldsTracker } from '../src/apiserver/registry/managed-fields-tracker.js';
import type { ResourceStore } from '../src/apiserver/registry/store.js';
import { openSqliteStorage } from '../src/storage/sqlite/sqlite-storage.js';
import type { PhaseOutcome } from './api-phase.js';
import { fixed, rate, renderTable } from './report.js';

export interface QuotaPhaseOptions {
  pods: number;
  maxMsPerCase: number;
  log: (line: string) => void;
}

const WRITE = (): WriteOptions => ({
  user: { name: 'bench', groups: ['system:masters'] },
  dryRun: false,
  fieldManager: 'bench',
  fieldValidation: 'Ignore',
  warnings: [],
});

const HARD = { pods: '1000000', 'requests.cpu': '100000', 'limits.memory': '1000Ti', 'count/pods': '1000000' };

interface CaseResult {
  namespace: string;
  inFlight: number;
  creates: number;
  perSec: number;
}

function pod(name: string) {
  const resources = { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '32Mi' } };
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox', resources }] } };
}

async function measure(pods: ResourceStore, namespace: string, inFlight: number, options: QuotaPhaseOptions): Promise<CaseResult> {
  let next = 0;
  const start = performance.now();
  const worker = async (): Promise<void> => {
    while (next < options.pods && performance.now() - start < options.maxMsPerCase) {
      const i = next++;
      await pods.create(namespace, pod(`p-${inFlight}-${i}`), WRITE());
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { namespace, inFlight, creates: next, perSec: (next / (performance.now() - start)) * 1000 };
}

export async function runQuotaPhase(options: QuotaPhaseOptions): Promise<PhaseOutcome> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-bench-quota-'));
  const storage = await openSqliteStorage({ path: join(dir, 'state.db') });
  const admission = new AdmissionChain();
  const registry = new ApiRegistry({ storage, tracker: managedFieldsTracker, admission });
  admission.add(new ResourceQuotaAdmission({ quotas: () => registry.lookup('', 'v1', 'resourcequotas') }));
  const results: CaseResult[] = [];
  let error: unknown;
  try {
    for (const type of coreResources) await registry.add(type);
    const pods = registry.lookup('', 'v1', 'pods');
    const quotas = registry.lookup('', 'v1', 'resourcequotas');
    if (!pods || !quotas) throw new Error('pods or resourcequotas not served');
    const quota = { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q' }, spec: { hard: HARD } };
    await quotas.create('quota', quota, WRITE());
    const used = Object.fromEntries(Object.keys(HARD).map((k) => [k, '0']));
    const charged = await quotas.update(
      { namespace: 'quota', name: 'q', subresource: 'status', tryUpdate: (q) => ({ ...q, status: { hard: HARD, used } }) },
      WRITE(),
    );
    // admission reads quotas from the watch cache: wait (bounded) until it has the status
    for (
      let i = 0;
      i < 1000 && quotas.cache.get(quotas.key('quota', 'q'))?.metadata.resourceVersion !== charged.obj.metadata.resourceVersion;
      i++
    ) {
      await new Promise((r) => setTimeout(r, 5));
    }
    // warm-up: SQLite's and the JIT's start are paid before anything is measured
    await measure(pods, 'warm', 1, { ...options, pods: Math.min(200, options.pods) });
    for (const inFlight of [1, 16]) {
      for (const namespace of ['free', 'quota']) {
        options.log(`quota: ${namespace}, ${inFlight} in flight, ≤ ${options.pods} pods`);
        results.push(await measure(pods, namespace, inFlight, options));
      }
    }
  } catch (err) {
    error = err;
    options.log(`quota failed: ${String(err)}`);
  } finally {
    registry.stop();
    await storage.close();
    await rm(dir, { recursive: true, force: true });
  }
  return {
    failed: error !== undefined,
    print: () => {
      const columns = [
        { title: 'namespace' },
        { title: 'in flight', right: true },
        { title: 'pods', right: true },
        { title: 'creates/s', right: true },
        { title: 'vs no quota', right: true },
      ];
      const rows = results.map((r) => {
        const base = results.find((b) => b.namespace === 'free' && b.inFlight === r.inFlight);
        return [
          r.namespace === 'free' ? 'no quota' : 'quota (pods, requests, limits)',
          String(r.inFlight),
          String(r.creates),
          rate(r.perSec),
          base ? `${fixed((r.perSec / base.perSec) * 100, 0)}%` : 'n/a',
        ];
      });
      console.log(renderTable(columns, rows));
    },
  };
}
