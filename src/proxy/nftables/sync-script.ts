/**
 * One sync's `nft -f -` input, and what the kube-proxy table holds once it is applied
 * (WrittenTable, kept between syncs).
 *
 *   full     the base ruleset (base-ruleset.ts), every set and map flushed and refilled, every
 *            service port's chains declared, flushed and rewritten, the affinity sets declared;
 *            chains and affinity sets found in the table but no longer used are flushed.
 *   partial  only the changed service ports: a chain is rewritten (flushed, then its rules added)
 *            unless it reads as last written, chains and affinity sets no longer used are flushed,
 *            elements added; a set or map that loses or changes an element is flushed and refilled
 *            from what it should hold.
 *
 * A partial sync uses only commands that nft 1.0.6 (Debian 12) runs without first reading every
 * chain of the table from the kernel — `add chain NAME { rules }`, `flush chain`, `add map NAME
 * { elements = … }`, `flush map`: `add rule`, `add element` and any `delete` read them all
 * (~100 ms at 1,000 Services × 10 endpoints). So nothing is deleted here: flushed, unused chains
 * and sets are "stale" until staleDeletionScript deletes them in a later transaction — as
 * upstream does too, a second after they were flushed.
 *
 *   fullSyncScript(options): string[]   partialSyncScript(options): string[]
 *   staleDeletionScript(table, before): string[]
 */
import type { ProxyState } from '../interface.js';
import { baseRuleset } from './base-ruleset.js';
import { type Container, CONTAINER_NAMES, CONTAINERS, FAMILY_TABLE, isAffinitySet, isServiceChain } from './names.js';
import { type Element, type ObjectsContext, type ServicePortObjects, servicePortObjects } from './service-objects.js';

/** What the kube-proxy table holds, as the syncs wrote it. */
export interface WrittenTable {
  /** Each service port's objects as last written. */
  ports: Map<string, ServicePortObjects>;
  /** The service port and endpoint chains in use: their rules as written (`a ; b`). */
  chains: Map<string, string>;
  /** Each set's and map's elements by key. */
  elements: Map<Container, Map<string, Element>>;
  /** The affinity sets in use: their timeout. */
  affinitySets: Map<string, number>;
  /** Flushed chains no longer used: when they were flushed (ms, performance.now()). */
  staleChains: Map<string, number>;
  /** Flushed affinity sets no longer used: when they were flushed. */
  staleSets: Map<string, number>;
}

export function newWrittenTable(): WrittenTable {
  return {
    ports: new Map(),
    chains: new Map(),
    elements: new Map(CONTAINER_NAMES.map((c) => [c, new Map()])),
    affinitySets: new Map(),
    staleChains: new Map(),
    staleSets: new Map(),
  };
}

export interface SyncScriptOptions {
  state: ProxyState;
  table: WrittenTable;
  ctx: ObjectsContext;
  /** Now (performance.now()): when the chains flushed here became stale. */
  now: number;
}

export interface FullSyncScriptOptions extends SyncScriptOptions {
  serviceCIDR: string;
  recreateBaseChains: boolean;
  /** The chains and sets the table holds now (nft list), which earlier runs may have left. */
  existing: { chains: readonly string[]; sets: readonly string[] };
}

const T = FAMILY_TABLE;
const body = (rules: readonly string[]): string => rules.join(' ; ');
const elementText = (e: Element): string =>
  `${e.key}${e.comment !== undefined ? ` comment "${e.comment}"` : ''}${e.value !== undefined ? ` : ${e.value}` : ''}`;
const affinitySetDecl = (name: string, timeout: number): string =>
  `add set ${T} ${name} { type ipv4_addr ; flags dynamic,timeout ; timeout ${timeout}s ; }`;

/** `add set|map NAME { type … ; elements = { … } ; }`: adds the elements (nothing when none). */
function addElements(container: Container, elements: Iterable<Element>): string[] {
  const text = [...elements].map(elementText);
  if (text.length === 0) return [];
  const { kind, type } = CONTAINERS[container];
  return [`add ${kind} ${T} ${container} { type ${type} ; elements = { ${text.join(', ')} } ; }`];
}

export function fullSyncScript(o: FullSyncScriptOptions): string[] {
  const { table } = o;
  const out = baseRuleset({ serviceCIDR: o.serviceCIDR, recreateBaseChains: o.recreateBaseChains });
  table.ports.clear();
  table.chains.clear();
  table.affinitySets.clear();
  for (const elements of table.elements.values()) elements.clear();
  const decls: string[] = [];
  const bodies: string[] = [];
  for (const [key, port] of o.state.services) {
    const objects = servicePortObjects(port, o.state.endpoints.get(key) ?? [], o.ctx);
    table.ports.set(key, objects);
    for (const [chain, rules] of objects.chains) {
      table.chains.set(chain, body(rules));
      decls.push(`add chain ${T} ${chain}`, `flush chain ${T} ${chain}`);
      bodies.push(`add chain ${T} ${chain} { ${body(rules)} ; }`);
    }
    for (const [set, timeout] of objects.affinitySets) {
      table.affinitySets.set(set, timeout);
      decls.push(affinitySetDecl(set, timeout));
    }
    for (const e of objects.elements) table.elements.get(e.container)?.set(e.key, e);
  }
  // what the table holds and no sync uses any more: flushed now, deleted later
  const staleChains = new Map<string, number>();
  for (const chain of o.existing.chains) {
    if (!isServiceChain(chain) || table.chains.has(chain)) continue;
    staleChains.set(chain, table.staleChains.get(chain) ?? o.now);
    decls.push(`flush chain ${T} ${chain}`);
  }
  const staleSets = new Map<string, number>();
  for (const set of o.existing.sets) {
    if (!isAffinitySet(set) || table.affinitySets.has(set)) continue;
    staleSets.set(set, table.staleSets.get(set) ?? o.now);
    decls.push(`flush set ${T} ${set}`);
  }
  table.staleChains = staleChains;
  table.staleSets = staleSets;
  const elements = CONTAINER_NAMES.flatMap((c) => addElements(c, table.elements.get(c)?.values() ?? []));
  return [...out, ...decls, ...bodies, ...elements];
}

export function partialSyncScript(o: SyncScriptOptions & { changed: ReadonlySet<string> }): string[] {
  const { table } = o;
  const declares: string[] = [];
  const flushes: string[] = [];
  const sets: string[] = [];
  const bodies: string[] = [];
  const before = new Map<string, ServicePortObjects | undefined>();
  const after = new Map<string, ServicePortObjects | undefined>();
  for (const key of o.changed) {
    const port = o.state.services.get(key);
    before.set(key, table.ports.get(key));
    after.set(key, port ? servicePortObjects(port, o.state.endpoints.get(key) ?? [], o.ctx) : undefined);
  }
  // chains and affinity sets: the ones gone first, so one taken over by another service port stays
  for (const [key, old] of before) {
    const now = after.get(key);
    for (const chain of old?.chains.keys() ?? []) {
      if (now?.chains.has(chain) || !table.chains.delete(chain)) continue;
      flushes.push(`flush chain ${T} ${chain}`);
      table.staleChains.set(chain, o.now);
    }
    for (const set of old?.affinitySets.keys() ?? []) {
      if (now?.affinitySets.has(set) || !table.affinitySets.delete(set)) continue;
      flushes.push(`flush set ${T} ${set}`);
      table.staleSets.set(set, o.now);
    }
  }
  for (const [key, now] of after) {
    if (!now) {
      table.ports.delete(key);
      continue;
    }
    table.ports.set(key, now);
    for (const [set, timeout] of now.affinitySets) {
      // declared again when new, stale or with another timeout (add updates an existing set's timeout)
      if (table.affinitySets.get(set) !== timeout) sets.push(affinitySetDecl(set, timeout));
      table.affinitySets.set(set, timeout);
      table.staleSets.delete(set);
    }
    for (const [chain, rules] of now.chains) {
      const text = body(rules);
      const written = table.chains.get(chain);
      if (written === text) continue;
      if (written !== undefined || table.staleChains.has(chain)) flushes.push(`flush chain ${T} ${chain}`);
      else declares.push(`add chain ${T} ${chain}`);
      bodies.push(`add chain ${T} ${chain} { ${text} ; }`);
      table.chains.set(chain, text);
      table.staleChains.delete(chain);
    }
  }
  return [...declares, ...sets, ...flushes, ...bodies, ...elementChanges(table, before, after)];
}

/** The element updates: removals and value changes refill their set or map, additions are added. */
function elementChanges(
  table: WrittenTable,
  before: ReadonlyMap<string, ServicePortObjects | undefined>,
  after: ReadonlyMap<string, ServicePortObjects | undefined>,
): string[] {
  const refill = new Set<Container>();
  const added = new Map<Container, Element[]>();
  const id = (e: Element) => `${e.container} ${e.key}`;
  for (const [key, old] of before) {
    const keep = new Set((after.get(key)?.elements ?? []).map(id));
    for (const e of old?.elements ?? []) {
      if (keep.has(id(e))) continue;
      if (table.elements.get(e.container)?.delete(e.key)) refill.add(e.container);
    }
  }
  for (const now of after.values()) {
    for (const e of now?.elements ?? []) {
      const stored = table.elements.get(e.container);
      const current = stored?.get(e.key);
      if (current && current.value === e.value && current.comment === e.comment) continue;
      if (current) refill.add(e.container);
      else added.set(e.container, [...(added.get(e.container) ?? []), e]);
      stored?.set(e.key, e);
    }
  }
  const out: string[] = [];
  for (const container of CONTAINER_NAMES) {
    if (refill.has(container)) {
      out.push(`flush ${CONTAINERS[container].kind} ${T} ${container}`);
      out.push(...addElements(container, table.elements.get(container)?.values() ?? []));
    } else {
      out.push(...addElements(container, added.get(container) ?? []));
    }
  }
  return out;
}

/** Deletes the stale chains and affinity sets flushed at or before `before` (and forgets them). */
export function staleDeletionScript(table: WrittenTable, before: number): string[] {
  const out: string[] = [];
  for (const [chain, at] of table.staleChains) {
    if (at > before) continue;
    out.push(`delete chain ${T} ${chain}`);
    table.staleChains.delete(chain);
  }
  for (const [set, at] of table.staleSets) {
    if (at > before) continue;
    out.push(`delete set ${T} ${set}`);
    table.staleSets.delete(set);
  }
  return out;
}
