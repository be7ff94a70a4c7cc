/**
 * kube-scheduler as a component: one leader at a time, elected on the kube-system/kube-scheduler
 * Lease, scheduling through the API over its own clientset and informers.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { GroupVersionResource } from '../client/interface.js';
import { HttpsClientset } from '../client/rest.js';
import { InformerFactory } from '../client/informer-factory.js';
import { dropManagedFields } from '../client/informer.js';
import { EventBroadcaster } from '../client/events.js';
import { LeaderElector } from '../client/leader-election.js';
import { Scheduler } from './scheduler.js';

const LEASES: GroupVersionResource = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };
const EVENTS: GroupVersionResource = { group: '', version: 'v1', resource: 'events' };

export interface SchedulerComponentOptions {
  /** kubeconfig of the scheduler's identity. */
  kubeconfig: string;
  signal: AbortSignal;
  log?: (message: string) => void;
}

export async function runScheduler(options: SchedulerComponentOptions): Promise<void> {
  const log = options.log ?? ((m: string) => console.error(m));
  const clientset = new HttpsClientset({
    kubeconfig: options.kubeconfig,
    userAgent: 'kube-scheduler/v1.33.0-k8ts (linux/amd64) kubernetes/k8ts',
  });
  // one broadcaster for the component's lifetime: the scheduler's events and its LeaderElection
  // events on the Lease, both from `default-scheduler` (the first profile's name, as upstream)
  const broadcaster = new EventBroadcaster({ client: clientset.resource(EVENTS), log });
  const recorder = broadcaster.newRecorder({ component: 'default-scheduler' });
  const elector = new LeaderElector({
    client: clientset.resource(LEASES),
    name: 'kube-scheduler',
    identity: `${hostname()}_${randomUUID()}`,
    recorder,
    log,
    onStartedLeading: async (signal) => {
      setMaxListeners(0, signal);
      const informers = new InformerFactory({
        clientset,
        transform: dropManagedFields,
        onError: (err) => log(`scheduler informer: ${(err as Error).message}`),
      });
      await new Scheduler({ clientset, informers, recorder, signal }).run();
    },
  });
  try {
    await elector.campaign(options.signal);
  } finally {
    broadcaster.shutdown();
    clientset.close();
  }
}
