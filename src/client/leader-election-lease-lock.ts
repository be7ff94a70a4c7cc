/**
 * The Lease resource lock of client-go (tools/leaderelection/resourcelock/leaselock.go): the
 * leader election record lives in a coordination.k8s.io/v1 Lease's spec, and every write is an
 * update carrying the resourceVersion last read, so concurrent candidates get 409 Conflict.
 */
import type { EventRecorder, ResourceClient } from './interface.js';
import type { KubeObject } from '../machinery/object.js';
import { cloneJson } from '../machinery/clone.js';

/** What a lock stores (resourcelock.LeaderElectionRecord); times are MicroTime strings. */
export interface LeaderElectionRecord {
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime: string;
  renewTime: string;
  leaderTransitions: number;
}

/** A coordination.k8s.io/v1 LeaseSpec as JSON. */
export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export function leaseSpecToRecord(spec: LeaseSpec | undefined): LeaderElectionRecord {
  return {
    holderIdentity: spec?.holderIdentity ?? '',
    leaseDurationSeconds: spec?.leaseDurationSeconds ?? 0,
    acquireTime: spec?.acquireTime ?? '',
    renewTime: spec?.renewTime ?? '',
    leaderTransitions: spec?.leaseTransitions ?? 0,
  };
}

export function recordToLeaseSpec(record: LeaderElectionRecord): LeaseSpec {
  return {
    holderIdentity: record.holderIdentity,
    leaseDurationSeconds: record.leaseDurationSeconds,
    acquireTime: record.acquireTime,
    renewTime: record.renewTime,
    leaseTransitions: record.leaderTransitions,
  };
}

/** A record's canonical JSON, to tell whether the lock changed since it was last observed. */
export function rawRecord(record: LeaderElectionRecord): string {
  return JSON.stringify(leaseSpecToRecord(recordToLeaseSpec(record)));
}

export interface LeaseLockOptions {
  /** A client for coordination.k8s.io/v1 leases. */
  client: ResourceClient;
  namespace: string;
  name: string;
  identity: string;
  /** Records `<identity> became leader` / `stopped leading` on the Lease (reason LeaderElection). */
  recorder?: EventRecorder;
}

export class LeaseLock {
  readonly namespace: string;
  readonly name: string;
  readonly identity: string;
  readonly #client: ResourceClient;
  readonly #recorder: EventRecorder | undefined;
  /** The Lease as last read or written; updates carry its resourceVersion. */
  #lease: KubeObject | undefined;

  constructor(options: LeaseLockOptions) {
    this.#client = options.client;
    this.namespace = options.namespace;
    this.name = options.name;
    this.identity = options.identity;
    this.#recorder = options.recorder;
  }

  describe(): string {
    return `${this.namespace}/${this.name}`;
  }

  /** Reads the Lease; throws StatusError NotFound when it does not exist. */
  async get(): Promise<{ record: LeaderElectionRecord; raw: string }> {
    this.#lease = await this.#client.get(this.namespace, this.name);
    const record = leaseSpecToRecord(this.#lease['spec'] as LeaseSpec | undefined);
    return { record, raw: rawRecord(record) };
  }

  async create(record: LeaderElectionRecord): Promise<void> {
    const lease: KubeObject = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.name, namespace: this.namespace },
      spec: recordToLeaseSpec(record),
    };
    this.#lease = await this.#client.create(this.namespace, lease);
  }

  /** Writes the record over the Lease last seen; 409 Conflict if someone wrote it since. */
  async update(record: LeaderElectionRecord): Promise<void> {
    if (!this.#lease) throw new Error('lease not initialized, call get or create first');
    const lease = cloneJson(this.#lease);
    lease.apiVersion = 'coordination.k8s.io/v1';
    lease.kind = 'Lease';
    lease['spec'] = { ...(lease['spec'] as LeaseSpec | undefined), ...recordToLeaseSpec(record) };
    this.#lease = await this.#client.update(this.namespace, lease);
  }

  recordEvent(what: string): void {
    if (!this.#recorder || !this.#lease) return;
    const subject: KubeObject = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: cloneJson(this.#lease.metadata),
    };
    this.#recorder.event(subject, 'Normal', 'LeaderElection', `${this.identity} ${what}`);
  }
}
