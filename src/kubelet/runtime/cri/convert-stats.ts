/**
 * CRI ListContainerStats messages ↔ runtime/interface.ts: a UInt64Value that is absent (null)
 * stays undefined (the runtime did not measure it), timestamps become milliseconds.
 */
import type { ContainerMetadata, ContainerStats, ContainerStatsFilter, StringMap } from '../interface.js';
import { msFromNanos } from './convert.js';

type Int64 = string | number;
type WireValue = { value: Int64 } | null;

export interface WireContainerStats {
  attributes: { id: string; metadata: ContainerMetadata | null; labels: StringMap; annotations: StringMap } | null;
  cpu: { timestamp: Int64; usageCoreNanoSeconds: WireValue; usageNanoCores: WireValue } | null;
  memory: {
    timestamp: Int64;
    workingSetBytes: WireValue;
    availableBytes: WireValue;
    usageBytes: WireValue;
    rssBytes: WireValue;
    pageFaults: WireValue;
    majorPageFaults: WireValue;
  } | null;
  writableLayer: { timestamp: Int64; fsId: { mountpoint: string } | null; usedBytes: WireValue; inodesUsed: WireValue } | null;
}

function value(v: WireValue): number | undefined {
  return v ? Number(v.value) : undefined;
}

/** Copies the keys whose values are defined. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function containerStatsFilterToWire(f: ContainerStatsFilter = {}): object {
  return { id: f.id ?? '', podSandboxId: f.podSandboxId ?? '', labelSelector: f.labelSelector ?? {} };
}

export function containerStatsFromWire(w: WireContainerStats): ContainerStats {
  const a = w.attributes;
  const out: ContainerStats = {
    attributes: {
      id: a?.id ?? '',
      metadata: a?.metadata ?? { name: '', attempt: 0 },
      labels: a?.labels ?? {},
      annotations: a?.annotations ?? {},
    },
  };
  if (w.cpu) {
    out.cpu = defined({
      timestamp: msFromNanos(w.cpu.timestamp),
      usageCoreNanoSeconds: value(w.cpu.usageCoreNanoSeconds),
      usageNanoCores: value(w.cpu.usageNanoCores),
    });
  }
  if (w.memory) {
    const m = w.memory;
    out.memory = defined({
      timestamp: msFromNanos(m.timestamp),
      workingSetBytes: value(m.workingSetBytes),
      availableBytes: value(m.availableBytes),
      usageBytes: value(m.usageBytes),
      rssBytes: value(m.rssBytes),
      pageFaults: value(m.pageFaults),
      majorPageFaults: value(m.majorPageFaults),
    });
  }
  if (w.writableLayer) {
    const l = w.writableLayer;
    out.writableLayer = defined({
      timestamp: msFromNanos(l.timestamp),
      mountpoint: l.fsId?.mountpoint ?? '',
      usedBytes: value(l.usedBytes),
      inodesUsed: value(l.inodesUsed),
    });
  }
  return out;
}
