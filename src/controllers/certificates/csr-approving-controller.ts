/**
 * The CSR approving controller (pkg/controller/certificates/approver/sarapprove.go):
 * auto-approves kubelet client certificates (signer kube-apiserver-client-kubelet, CN
 * system:node:<name>, O system:nodes, client usages) when a SubjectAccessReview says the
 * requestor may create certificatesigningrequests/selfnodeclient (a node renewing its own,
 * CN = requestor) or certificatesigningrequests/nodeclient (a bootstrap token's user). The
 * Approved condition is written through the approval subresource, reason AutoApproved.
 */
import type { Clientset, GroupVersionResource, Lister, ResourceClient, SharedInformerFactory, WorkQueue } from '../../client/interface.js';
import { runWorkers } from '../../client/workqueue-workers.js';
import { isStatusError } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import {
  CSRS,
  type CSRView,
  csrView,
  isApproved,
  isDenied,
  KUBELET_CLIENT_SIGNER,
  parseCSRRequest,
  subjectOf,
  validateKubeletClient,
  withCondition,
} from './csr-checks.js';

const SUBJECT_ACCESS_REVIEWS: GroupVersionResource = { group: 'authorization.k8s.io', version: 'v1', resource: 'subjectaccessreviews' };

/** upstream's recognizers, in order: the subresource checked and the approval message. */
const RECOGNIZERS = [
  {
    subresource: 'selfnodeclient',
    self: true,
    message: 'Auto approving self kubelet client certificate after SubjectAccessReview.',
  },
  { subresource: 'nodeclient', self: false, message: 'Auto approving kubelet client certificate after SubjectAccessReview.' },
] as const;

export interface CSRApprovingControllerOptions {
  client: Clientset;
  informers: SharedInformerFactory;
  newQueue: () => WorkQueue;
  now?: () => Date;
  log?: (message: string) => void;
}

export class CSRApprovingController {
  readonly queue: WorkQueue;
  readonly #csrs: ResourceClient;
  readonly #reviews: ResourceClient;
  readonly #informers: SharedInformerFactory;
  readonly #lister: Lister;
  readonly #now: () => Date;
  readonly #log: (message: string) => void;

  constructor(options: CSRApprovingControllerOptions) {
    this.#csrs = options.client.resource(CSRS);
    this.#reviews = options.client.resource(SUBJECT_ACCESS_REVIEWS);
    this.#informers = options.informers;
    this.#now = options.now ?? (() => new Date());
    this.#log = options.log ?? (() => {});
    this.queue = options.newQueue();
    const informer = options.informers.forResource(CSRS);
    this.#lister = informer.lister;
    const enqueue = (csr: KubeObject) => this.queue.add(csr.metadata.name ?? '');
    informer.addEventHandler({ onAdd: enqueue, onUpdate: (_old, csr) => enqueue(csr) });
  }

  async run(signal: AbortSignal): Promise<void> {
    await this.#informers.waitForCacheSync(signal);
    await runWorkers({
      queue: this.queue,
      sync: (key) => this.sync(key),
      workers: 1,
      signal,
      onError: (key, err) => this.#log(`csrapproving ${key}: ${(err as Error).message}`),
    });
  }

  async sync(name: string): Promise<void> {
    const csr = this.#lister.get('', name);
    if (!csr) return;
    const v = csrView(csr);
    if (v.certificate || isApproved(v) || isDenied(v) || v.signerName !== KUBELET_CLIENT_SIGNER) return;
    const req = parseCSRRequest(csr);
    if (validateKubeletClient(req, v.usages)) return;
    const self = subjectOf(req).commonName === v.username;
    for (const r of RECOGNIZERS) {
      if (r.self && !self) continue;
      if (!(await this.#authorized(v, r.subresource))) continue;
      return this.#approve(csr, r.message);
    }
    // upstream: recognized, but the requestor may not: left for a human to approve or deny
  }

  async #authorized(v: CSRView, subresource: string): Promise<boolean> {
    const review: KubeObject = {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      metadata: {},
      spec: {
        user: v.username,
        ...(v.uid ? { uid: v.uid } : {}),
        groups: v.groups,
        ...(v.extra ? { extra: v.extra } : {}),
        resourceAttributes: { group: 'certificates.k8s.io', resource: 'certificatesigningrequests', verb: 'create', subresource },
      },
    };
    const answer = await this.#reviews.create('', review);
    return (answer['status'] as { allowed?: boolean } | undefined)?.allowed === true;
  }

  async #approve(csr: KubeObject, message: string): Promise<void> {
    const next = withCondition(csr, { type: 'Approved', reason: 'AutoApproved', message }, this.#now());
    if (!this.#csrs.updateSubresource) throw new Error('the client cannot write the approval subresource');
    try {
      await this.#csrs.updateSubresource('', csr.metadata.name ?? '', 'approval', next);
    } catch (err) {
      if (isStatusError(err, 'Conflict') || isStatusError(err, 'NotFound')) return;
      throw err;
    }
  }
}
