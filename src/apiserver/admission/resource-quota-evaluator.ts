/**
 * The quota evaluator of the ResourceQuota admission (upstream's admission/plugin/resourcequota
 * controller.go): requests waiting on the same namespace are checked together against its quotas
 * (checkRequest, one after another, each seeing what the previous ones charged) and the quotas
 * they change are written once, with the resourceVersion they were read at; a quota another
 * writer changed meanwhile is read again and every request still waiting re-checked against it.
 * So no two requests ever both fit in the same room, and a burst costs one write per quota.
 */
import { asObj } from '../../api/core/access.js';
import { isStatusError, newForbidden, StatusError } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import { quotaMatches, scopeSelectors } from '../../quota/evaluators.js';
import type { Evaluator, ScopeSelectorRequirement } from '../../quota/interface.js';
import {
  addLists,
  equalLists,
  isZeroList,
  lessThanOrEqual,
  maskList,
  parseResourceList,
  prettyPrint,
  type ResourceList,
  resourceListJSON,
} from '../../quota/resources.js';
import type { WriteOptions } from '../registry/context.js';
import { namespacePrefix } from '../registry/keys.js';
import type { ResourceStore } from '../registry/store.js';
import type { AdmissionAttributes } from './interface.js';

/** One admission request waiting for its quotas. */
export interface QuotaWaiter {
  attrs: AdmissionAttributes;
  evaluator: Evaluator;
  /** What the request adds to its quotas' usage. */
  delta: ResourceList;
  /** The names and scopes the ResourceQuotaConfiguration's limitedResources want covered by a quota. */
  limitedNames?: readonly string[];
  limitedScopes?: readonly ScopeSelectorRequirement[];
}

/** A quota as the evaluator reads and charges it. */
interface QuotaState {
  obj: KubeObject;
  hard: ResourceList;
  used: ResourceList;
}

interface Pending extends QuotaWaiter {
  resolve(): void;
  reject(err: unknown): void;
  /** undefined while it waits for a write; 'admit' or the error once decided. */
  result?: 'admit' | Error;
}

/** How often a batch re-reads quotas that changed under it before its requests fail. */
const MAX_RETRIES = 3;

/** The apiserver's own write of a quota's status (upstream's loopback client). */
const CHARGE: Omit<WriteOptions, 'warnings'> = {
  user: { name: 'system:apiserver', groups: ['system:masters'] },
  dryRun: false,
  fieldManager: 'kube-apiserver',
  fieldValidation: 'Ignore',
};

function stateOf(obj: KubeObject): QuotaState {
  const status = asObj(obj['status']) ?? {};
  return { obj, hard: parseResourceList(status['hard']), used: parseResourceList(status['used']) };
}

const byName = (a: QuotaState, b: QuotaState) => (a.obj.metadata.name ?? '').localeCompare(b.obj.metadata.name ?? '');

/** Upstream answers uncovered scopes with a plain error: a 500 Status of unknown reason, Go's %v of the selectors. */
function insufficientScopes(scopes: readonly ScopeSelectorRequirement[]): StatusError {
  const text = scopes.map((s) => `{${s.scopeName} ${s.operator} [${(s.values ?? []).join(' ')}]}`).join(' ');
  const message = `insufficient quota to match these scopes: [${text}]`;
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code: 500 });
}

/**
 * checkRequest: the quotas with the request charged, or the same array when no quota tracks it;
 * throws Forbidden when a tracking quota refuses it (constraints, unknown usage, exceeded).
 */
function checkRequest(quotas: readonly QuotaState[], w: QuotaWaiter): readonly QuotaState[] {
  const { attrs, evaluator, delta } = w;
  const obj = attrs.object as KubeObject;
  const forbid = (why: string) => newForbidden({ group: attrs.type.group, resource: attrs.type.plural }, attrs.name, why);
  const interesting: number[] = [];
  // what the quotas cover, for the limitedResources that must be covered
  const restrictedNames = new Set<string>();
  const restrictedScopes = new Set<string>();
  quotas.forEach((q, i) => {
    const hardNames = [...q.hard.keys()];
    for (const s of scopeSelectors(q.obj)) if (evaluator.matchesScope(s, obj)) restrictedScopes.add(s.scopeName);
    if (!quotaMatches(q.obj, hardNames, evaluator, obj)) return;
    const name = q.obj.metadata.name ?? '';
    const restricted = evaluator.matchingResources(hardNames);
    const missing = evaluator.constraints(restricted, obj);
    if (missing) throw forbid(`failed quota: ${name}: ${missing}`);
    if (restricted.some((r) => !q.used.has(r)))
      throw forbid(`status unknown for quota: ${name}, resources: ${[...restricted].sort().join(',')}`);
    interesting.push(i);
    for (const r of restricted) restrictedNames.add(r);
  });
  const uncovered = [...new Set(w.limitedNames ?? [])].filter((n) => !restrictedNames.has(n)).sort();
  if (uncovered.length > 0) throw forbid(`insufficient quota to consume: ${uncovered.join(',')}`);
  const uncoveredScopes = (w.limitedScopes ?? []).filter((s) => !restrictedScopes.has(s.scopeName));
  if (uncoveredScopes.length > 0) throw insufficientScopes(uncoveredScopes);
  if (interesting.length === 0 || isZeroList(delta)) return quotas;
  const out = [...quotas];
  for (const i of interesting) {
    const q = quotas[i] as QuotaState;
    const requested = maskList(delta, q.hard.keys());
    if (requested.size === 0) continue;
    const newUsage = addLists(q.used, requested);
    const { allowed, exceeded } = lessThanOrEqual(maskList(newUsage, requested.keys()), q.hard);
    if (!allowed) {
      const name = q.obj.metadata.name ?? '';
      throw forbid(
        `exceeded quota: ${name}, requested: ${prettyPrint(maskList(requested, exceeded))}, used: ${prettyPrint(
          maskList(q.used, exceeded),
        )}, limited: ${prettyPrint(maskList(q.hard, exceeded))}`,
      );
    }
    out[i] = { ...q, used: newUsage };
  }
  return out;
}

export class QuotaEvaluator {
  readonly #quotas: () => ResourceStore | undefined;
  /** The requests waiting per namespace, and the namespaces whose batch is running. */
  readonly #waiting = new Map<string, Pending[]>();
  /** The quotas this evaluator wrote that the watch cache may not show yet, by storage key. */
  readonly #written = new Map<string, KubeObject>();

  constructor(options: { quotas: () => ResourceStore | undefined }) {
    this.#quotas = options.quotas;
  }

  /** Resolves once the request is charged (or no quota tracks it); rejects with the refusal. */
  evaluate(namespace: string, waiter: QuotaWaiter): Promise<void> {
    return new Promise((resolve, reject) => {
      const queue = this.#waiting.get(namespace);
      if (queue) {
        queue.push({ ...waiter, resolve, reject });
        return;
      }
      this.#waiting.set(namespace, [{ ...waiter, resolve, reject }]);
      void this.#drain(namespace);
    });
  }

  async #drain(namespace: string): Promise<void> {
    const queue = this.#waiting.get(namespace) as Pending[];
    while (queue.length > 0) {
      const batch = queue.splice(0);
      try {
        await this.#checkBatch(namespace, batch);
      } catch (err) {
        for (const p of batch) p.result ??= err as Error;
      }
      for (const p of batch) {
        if (p.result === undefined || p.result === 'admit') p.resolve();
        else p.reject(p.result);
      }
    }
    this.#waiting.delete(namespace);
  }

  async #checkBatch(namespace: string, batch: Pending[]): Promise<void> {
    const store = this.#quotas();
    if (!store) return;
    const quotas = store.cache
      .list(namespacePrefix(store.cache.prefix, namespace))
      .map((cached) => stateOf(this.#newest(store, cached)))
      .sort(byName);
    await this.#checkQuotas(store, namespace, quotas, batch, MAX_RETRIES);
  }

  /** checkQuotas: every undecided request in turn, then one write per changed quota; the conflicting ones again. */
  async #checkQuotas(store: ResourceStore, namespace: string, quotas: QuotaState[], batch: Pending[], retries: number): Promise<void> {
    let current: readonly QuotaState[] = quotas;
    for (const p of batch) {
      if (p.result !== undefined) continue;
      try {
        const next = checkRequest(current, p);
        // a dry run, or a request no quota charges, is decided now
        if (p.attrs.dryRun || next === current || next.every((q, i) => equalLists(q.used, (current[i] as QuotaState).used)))
          p.result = 'admit';
        else current = next;
      } catch (err) {
        p.result = err as Error;
      }
    }
    const changed = current.filter((q, i) => !equalLists(q.used, (quotas[i] as QuotaState).used));
    const failed: string[] = [];
    let lastError: unknown;
    for (const q of changed) {
      try {
        await this.#write(store, namespace, q);
      } catch (err) {
        if (!isStatusError(err, 'Conflict') && !isStatusError(err, 'NotFound')) throw err;
        failed.push(q.obj.metadata.name ?? '');
        lastError = err;
      }
    }
    if (failed.length === 0) {
      for (const p of batch) p.result ??= 'admit';
      return;
    }
    if (retries <= 0) {
      for (const p of batch) p.result ??= lastError as Error;
      return;
    }
    // the quotas that changed under us, read again from storage; requests still waiting check against them
    // (what limitedResources want covered was checked against every quota already)
    for (const p of batch) {
      if (p.result !== undefined) continue;
      delete p.limitedNames;
      delete p.limitedScopes;
    }
    const fresh: QuotaState[] = [];
    for (const name of failed) {
      const read = await store.read(namespace, name);
      if (read) fresh.push(stateOf(read.obj));
    }
    await this.#checkQuotas(store, namespace, fresh, batch, retries - 1);
  }

  /** The cached quota, or this evaluator's own later write of it (forgotten once the cache has caught up). */
  #newest(store: ResourceStore, cached: KubeObject): KubeObject {
    const key = store.key(cached.metadata.namespace ?? '', cached.metadata.name ?? '');
    const mine = this.#written.get(key);
    if (!mine) return cached;
    if (Number(mine.metadata.resourceVersion) > Number(cached.metadata.resourceVersion)) return mine;
    this.#written.delete(key);
    return cached;
  }

  /** One compare-and-swap write of a quota's status.used, at the resourceVersion it was read at. */
  async #write(store: ResourceStore, namespace: string, q: QuotaState): Promise<void> {
    const name = q.obj.metadata.name ?? '';
    const rv = q.obj.metadata.resourceVersion;
    const { obj } = await store.update(
      {
        namespace,
        name,
        subresource: 'status',
        trackFields: false,
        // the resourceVersion read is a precondition: the store answers Conflict when the quota moved on
        tryUpdate: (cur) => ({
          ...cur,
          metadata: { ...cur.metadata, resourceVersion: rv },
          status: { ...(asObj(cur['status']) ?? {}), used: resourceListJSON(q.used) },
        }),
      },
      { ...CHARGE, warnings: [] },
    );
    this.#written.set(store.key(namespace, name), obj);
  }
}
