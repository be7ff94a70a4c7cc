/**
 * API Priority and Fairness (upstream's util/flowcontrol configController + the
 * WithPriorityAndFairness filter): classifies each request by the first matching FlowSchema
 * (lowest matchingPrecedence, then name; FlowSchemas whose PriorityLevelConfiguration is missing
 * are skipped and marked Dangling), then runs it at once (Exempt levels) or through its Limited
 * level's queues and seats. The server's concurrency limit (--max-requests-inflight +
 * --max-mutating-requests-inflight) is shared among the levels in proportion to their
 * nominalConcurrencyShares: NominalCL = ceil(ServerCL × NCS / ΣNCS). Simplified against
 * upstream: no borrowing between levels (lendablePercent is kept, not used), every request costs
 * one seat, and a WATCH is classified (it gets the response headers) but holds no seat; other
 * long-running requests (exec, attach, log, port-forward, proxy) pass unclassified.
 */
import type { KubeObject } from '../../machinery/object.js';
import { cloneJson } from '../../machinery/clone.js';
import type { WriteOptions } from '../registry/context.js';
import type { ResourceStore } from '../registry/store.js';
import { mandatoryFlowSchemas, mandatoryPriorityLevels, type PolicyRulesWithSubjects } from './bootstrap-objects.js';
import { DroppedRequestsTracker } from './dropped-requests.js';
import { type Admission, isLongRunning, type LimitedRequest, type RequestLimiter } from './interface.js';
import { flowDistinguisher, matchesFlowSchema, type RequestDigest } from './matching.js';
import { type QueueSetConfig, QueueSet } from './queue-set.js';
import { hashFlowID } from './shuffle-sharding.js';

export interface PriorityAndFairnessOptions {
  flowSchemas: ResourceStore;
  priorityLevels: ResourceStore;
  /** ServerCL: --max-requests-inflight + --max-mutating-requests-inflight. */
  serverConcurrencyLimit: number;
  /** How long a request may wait in a queue (upstream: a quarter of the 60 s request timeout). */
  waitLimitMs?: number;
  log?: (message: string) => void;
}

interface Schema {
  name: string;
  uid: string;
  precedence: number;
  level: string;
  method: string | undefined;
  rules: PolicyRulesWithSubjects[];
}

interface Level {
  name: string;
  uid: string;
  exempt: boolean;
  queues: QueueSet | undefined;
}

export interface Classification {
  flowSchema: { name: string; uid: string };
  priorityLevel: { name: string; uid: string };
  distinguisher: string;
}

const STATUS_WRITE: WriteOptions = {
  user: { name: 'system:apiserver', groups: ['system:masters'] },
  dryRun: false,
  fieldManager: 'api-priority-and-fairness-config-consumer-v1',
  fieldValidation: 'Ignore',
  warnings: [],
};

function shares(pl: KubeObject): number {
  const spec = (pl['spec'] ?? {}) as {
    type?: string;
    exempt?: { nominalConcurrencyShares?: number };
    limited?: { nominalConcurrencyShares?: number };
  };
  if (spec.type === 'Exempt') return spec.exempt?.nominalConcurrencyShares ?? 0;
  return spec.limited?.nominalConcurrencyShares ?? 30;
}

function queueSetConfig(pl: KubeObject, concurrencyLimit: number): QueueSetConfig {
  const response = (pl['spec'] as { limited?: { limitResponse?: { type?: string; queuing?: Record<string, number> } } }).limited
    ?.limitResponse;
  const q = response?.type === 'Queue' ? response.queuing : undefined;
  const name = pl.metadata.name ?? '';
  if (!q) return { name, concurrencyLimit };
  return {
    name,
    concurrencyLimit,
    queuing: { queues: q['queues'] ?? 64, handSize: q['handSize'] ?? 8, queueLengthLimit: q['queueLengthLimit'] ?? 50 },
  };
}

export class PriorityAndFairness implements RequestLimiter {
  readonly #options: PriorityAndFairnessOptions;
  readonly #levels = new Map<string, Level>();
  readonly #dropped = new DroppedRequestsTracker();
  #schemas: Schema[] = [];
  #dirty = true;
  #unwatch: (() => void)[] = [];
  #statusSync: Promise<void> = Promise.resolve();

  constructor(options: PriorityAndFairnessOptions) {
    this.#options = options;
    for (const store of [options.flowSchemas, options.priorityLevels]) {
      const off = store.cache.watch(store.cache.revision, () => this.#changed());
      if (off) this.#unwatch.push(off);
    }
  }

  /** Stops following the configuration. */
  stop(): void {
    for (const off of this.#unwatch) off();
    this.#unwatch = [];
  }

  /** Resolves once the Dangling conditions written so far are stored (tests). */
  settled(): Promise<void> {
    this.#refresh();
    return this.#statusSync;
  }

  /** The seats each Limited level has now (its NominalCL). */
  concurrencyLimits(): Record<string, number> {
    this.#refresh();
    const out: Record<string, number> = {};
    for (const [name, level] of this.#levels) if (level.queues) out[name] = level.queues.config.concurrencyLimit;
    return out;
  }

  #changed(): void {
    if (this.#dirty) return;
    this.#dirty = true;
    // the Dangling conditions follow configuration changes even when no request comes
    setImmediate(() => this.#refresh());
  }

  #refresh(): void {
    if (!this.#dirty) return;
    this.#dirty = false;
    const { flowSchemas, priorityLevels } = this.#options;
    const stored = priorityLevels.cache.list(priorityLevels.prefix);
    const pls = [...stored];
    for (const m of mandatoryPriorityLevels()) if (!pls.some((p) => p.metadata.name === m.metadata.name)) pls.push(m);
    const total = pls.reduce((n, pl) => n + shares(pl), 0);
    const seen = new Set<string>();
    for (const pl of pls) {
      const name = pl.metadata.name ?? '';
      seen.add(name);
      const exempt = (pl['spec'] as { type?: string } | undefined)?.type === 'Exempt';
      const limit = total > 0 ? Math.ceil((this.#options.serverConcurrencyLimit * shares(pl)) / total) : 0;
      const prior = this.#levels.get(name);
      let queues: QueueSet | undefined;
      if (!exempt) {
        const config = queueSetConfig(pl, limit);
        queues = prior?.queues ?? new QueueSet({ config, waitLimitMs: this.#options.waitLimitMs ?? 15_000 });
        if (prior?.queues) queues.setConfig(config);
      }
      this.#levels.set(name, { name, uid: pl.metadata.uid ?? '', exempt, queues });
    }
    for (const name of [...this.#levels.keys()]) if (!seen.has(name)) this.#levels.delete(name);
    const fss = [...flowSchemas.cache.list(flowSchemas.prefix)];
    for (const m of mandatoryFlowSchemas()) if (!fss.some((f) => f.metadata.name === m.metadata.name)) fss.push(m);
    this.#schemas = fss
      .map((fs): Schema => {
        const spec = (fs['spec'] ?? {}) as Record<string, unknown>;
        return {
          name: fs.metadata.name ?? '',
          uid: fs.metadata.uid ?? '',
          precedence: typeof spec['matchingPrecedence'] === 'number' ? spec['matchingPrecedence'] : 1000,
          level: (spec['priorityLevelConfiguration'] as { name?: string } | undefined)?.name ?? '',
          method: (spec['distinguisherMethod'] as { type?: string } | undefined)?.type,
          rules: (spec['rules'] as PolicyRulesWithSubjects[] | undefined) ?? [],
        };
      })
      .sort((a, b) => a.precedence - b.precedence || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const storedSchemas = flowSchemas.cache.list(flowSchemas.prefix);
    this.#statusSync = this.#statusSync.then(() => this.#syncDangling(storedSchemas));
  }

  /** The FlowSchema and priority level of a request, as upstream's startRequest picks them. */
  classify(digest: RequestDigest): { schema: Schema; level: Level; classification: Classification } {
    this.#refresh();
    for (const schema of this.#schemas) {
      const level = this.#levels.get(schema.level);
      if (!level || !matchesFlowSchema(digest, schema.rules)) continue;
      return { schema, level, classification: this.#classification(schema, level, digest) };
    }
    // unreachable while the mandatory catch-all exists: it matches every authenticated or anonymous user
    const schema = this.#schemas.find((s) => s.name === 'catch-all') as Schema;
    const level = this.#levels.get('catch-all') as Level;
    return { schema, level, classification: this.#classification(schema, level, digest) };
  }

  #classification(schema: Schema, level: Level, digest: RequestDigest): Classification {
    return {
      flowSchema: { name: schema.name, uid: schema.uid },
      priorityLevel: { name: level.name, uid: level.uid },
      distinguisher: flowDistinguisher(digest, schema.method),
    };
  }

  async admit(request: LimitedRequest): Promise<Admission> {
    const watch = request.info.verb === 'watch';
    if (isLongRunning(request.info) && !watch) return { admitted: true, headers: {}, release: () => {} };
    const { level, classification } = this.classify(request);
    const headers = {
      'X-Kubernetes-PF-FlowSchema-UID': classification.flowSchema.uid,
      'X-Kubernetes-PF-PriorityLevel-UID': classification.priorityLevel.uid,
    };
    if (level.exempt || !level.queues || watch) return { admitted: true, headers, release: () => {} };
    const hash = hashFlowID(classification.flowSchema.name, classification.distinguisher);
    const decision = await level.queues.startRequest(hash, request.signal);
    if (decision.execute) return { admitted: true, headers, release: decision.release };
    this.#dropped.recordDropped(level.name);
    return { admitted: false, headers, retryAfterSeconds: this.#dropped.retryAfter(level.name) };
  }

  /** Sets each stored FlowSchema's Dangling condition (upstream's status writes of the config controller). */
  async #syncDangling(schemas: readonly KubeObject[]): Promise<void> {
    const store = this.#options.flowSchemas;
    for (const fs of schemas) {
      const level = (fs['spec'] as { priorityLevelConfiguration?: { name?: string } } | undefined)?.priorityLevelConfiguration?.name ?? '';
      const missing = !this.#levels.has(level);
      const want = {
        type: 'Dangling',
        status: missing ? 'True' : 'False',
        reason: missing ? 'NotFound' : 'Found',
        message: missing
          ? `This FlowSchema references the PriorityLevelConfiguration object named "${level}" but there is no such object`
          : `This FlowSchema references the PriorityLevelConfiguration object named "${level}" and it exists`,
      };
      const conditions = ((fs['status'] as { conditions?: Record<string, unknown>[] } | undefined)?.conditions ?? []) as Record<
        string,
        unknown
      >[];
      const have = conditions.find((c) => c['type'] === 'Dangling');
      if (have && have['status'] === want.status && have['reason'] === want.reason && have['message'] === want.message) continue;
      try {
        await store.update(
          {
            namespace: '',
            name: fs.metadata.name ?? '',
            subresource: 'status',
            tryUpdate: (cur) => {
              const next = cloneJson(cur);
              const status = (next['status'] ?? {}) as { conditions?: Record<string, unknown>[] };
              const others = (status.conditions ?? []).filter((c) => c['type'] !== 'Dangling');
              next['status'] = {
                ...status,
                conditions: [...others, { ...want, lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }],
              };
              return next;
            },
          },
          { ...STATUS_WRITE, warnings: [] },
        );
      } catch (err) {
        // gone meanwhile, or a conflict the next change retries
        this.#options.log?.(`flowcontrol: status of FlowSchema ${fs.metadata.name ?? ''}: ${(err as Error).message}`);
      }
    }
  }
}
