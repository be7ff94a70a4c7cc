/**
 * kube-scheduler as a component: one leader at a time, elected on the kube-system/kube-scheduler
 * Lease, scheduling through the API over its own clientset and informers (those of pods and
 * nodes shared with the controller manager when both run in one process).
 */
import { componentUserAgent } from '../machinery/platform.js';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { GroupVersionResource } from '../client/interface.js';
import { HttpsClientset } from '../client/rest.js';
import { componentInformers, type SharedInformers } from '../client/informer-factory-view.js';
import { EventBroadcaster } from '../client/events.js';
import { EventsV1Broadcaster } from '../client/events-v1.js';
import { LeaderElector } from '../client/leader-election.js';
import { Scheduler } from './scheduler.js';

const LEASES: GroupVersionResource = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };
const EVENTS: GroupVersionResource = { group: '', version: 'v1', resource: 'events' };
const EVENTS_V1: GroupVersionResource = { group: 'events.k8s.io', version: 'v1', resource: 'events' };

export interface SchedulerComponentOptions {
  /** kubeconfig of the scheduler's identity. */
  kubeconfig: string;
  signal: AbortSignal;
  /** Informers shared with other components of the process (pods and nodes with the controller manager). */
  shared?: SharedInformers;
  log?: (message: string) => void;
}

export async function runScheduler(options: SchedulerComponentOptions): Promise<void> {
  const log = options.log ?? ((m: string) => console.error(m));
  const clientset = new HttpsClientset({
    kubeconfig: options.kubeconfig,
    userAgent: componentUserAgent('kube-scheduler'),
  });
  // as upstream: scheduling events through events.k8s.io (with series), the LeaderElection
  // events on the Lease through core/v1; both from `default-scheduler`, the first profile's name
  const broadcaster = new EventsV1Broadcaster({ client: clientset.resource(EVENTS_V1), log });
  const recorder = broadcaster.newRecorder('default-scheduler');
  const coreBroadcaster = new EventBroadcaster({ client: clientset.resource(EVENTS), log });
  // as upstream, the informers run and fill the caches and the queue before (and between)
  // leadership terms: a scheduler that takes over schedules at once
  setMaxListeners(0, options.signal);
  const informers = componentInformers({
    clientset,
    onError: (err) => log(`scheduler informer: ${(err as Error).message}`),
    shared: options.shared,
    signal: options.signal,
  });
  const scheduler = new Scheduler({ clientset, informers, recorder, signal: options.signal });
  const elector = new LeaderElector({
    client: clientset.resource(LEASES),
    name: 'kube-scheduler',
    identity: `${hostname()}_${randomUUID()}`,
    recorder: coreBroadcaster.newRecorder({ component: 'default-scheduler' }),
    log,
    onStartedLeading: (leading) => {
      setMaxListeners(0, leading);
      return scheduler.run(leading);
    },
  });
  try {
    await scheduler.syncCaches();
    await elector.campaign(options.signal);
  } finally {
    broadcaster.shutdown();
    coreBroadcaster.shutdown();
    clientset.close();
  }
}
