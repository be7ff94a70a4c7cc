/**
 * events.k8s.io/v1 Event ↔ core/v1 Event (the stored form), as pkg/apis/events/v1/conversion.go
 * maps them: regarding ↔ involvedObject, note ↔ message, reportingController ↔
 * reportingComponent, deprecatedSource/FirstTimestamp/LastTimestamp/Count ↔ source,
 * firstTimestamp, lastTimestamp, count. Shared fields (eventTime, series, action, reason,
 * related, type, reportingInstance) pass through.
 */
import type { KubeObject } from '../../machinery/object.js';
import { cloneJson } from '../../machinery/clone.js';

const SHARED = ['eventTime', 'series', 'action', 'reason', 'related', 'type'] as const;
/** events.k8s.io name → core/v1 name. */
const RENAMED: readonly (readonly [string, string])[] = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['reportingController', 'reportingComponent'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
];

function copy(from: KubeObject, to: KubeObject, pairs: readonly (readonly [string, string])[]): void {
  for (const [a, b] of pairs) if (from[a] !== undefined) to[b] = cloneJson(from[a]);
}

/** events.k8s.io/v1 → core/v1. */
export function eventToCore(ev: KubeObject): KubeObject {
  const out: KubeObject = { apiVersion: 'v1', kind: 'Event', metadata: cloneJson(ev.metadata) };
  copy(
    ev,
    out,
    SHARED.map((k) => [k, k] as const),
  );
  copy(ev, out, RENAMED);
  if (ev['reportingInstance'] !== undefined) out['reportingInstance'] = ev['reportingInstance'];
  out['involvedObject'] ??= {};
  out['source'] ??= {};
  out['reportingComponent'] ??= '';
  out['reportingInstance'] ??= '';
  out['firstTimestamp'] ??= null;
  out['lastTimestamp'] ??= null;
  out['eventTime'] ??= null;
  return out;
}

/** core/v1 → events.k8s.io/v1. */
export function eventFromCore(ev: KubeObject): KubeObject {
  const out: KubeObject = { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: cloneJson(ev.metadata) };
  copy(
    ev,
    out,
    SHARED.map((k) => [k, k] as const),
  );
  copy(
    ev,
    out,
    RENAMED.map(([a, b]) => [b, a] as const),
  );
  if (typeof ev['reportingInstance'] === 'string' && ev['reportingInstance']) out['reportingInstance'] = ev['reportingInstance'];
  if (out['reportingController'] === '') delete out['reportingController'];
  if (out['note'] === '') delete out['note'];
  if (out['deprecatedCount'] === 0) delete out['deprecatedCount'];
  out['regarding'] ??= {};
  out['deprecatedSource'] ??= {};
  out['deprecatedFirstTimestamp'] ??= null;
  out['deprecatedLastTimestamp'] ??= null;
  out['eventTime'] ??= null;
  return out;
}
