/** The in-tree plugins by name (upstream plugins.NewInTreeRegistry) and the default profile. */
import type { PluginFactory } from './framework/interface.js';
import { DefaultBinder } from './plugins/default-binder.js';
import { DefaultPreemption } from './plugins/default-preemption.js';
import { InterPodAffinity } from './plugins/inter-pod-affinity.js';
import { NodeAffinity } from './plugins/node-affinity.js';
import { NodeName } from './plugins/node-name.js';
import { NodePorts } from './plugins/node-ports.js';
import { NodeResourcesBalancedAllocation } from './plugins/node-resources-balanced-allocation.js';
import { NodeResourcesFit } from './plugins/node-resources-fit.js';
import { NodeUnschedulable } from './plugins/node-unschedulable.js';
import { PodTopologySpread } from './plugins/pod-topology-spread.js';
import { PrioritySort } from './plugins/priority-sort.js';
import { SchedulingGates } from './plugins/scheduling-gates.js';
import { TaintToleration } from './plugins/taint-toleration.js';
import { VolumeBinding } from './plugins/volume-binding.js';

export const inTreeRegistry: Readonly<Record<string, PluginFactory>> = {
  SchedulingGates: () => new SchedulingGates(),
  PrioritySort: () => new PrioritySort(),
  NodeUnschedulable: () => new NodeUnschedulable(),
  NodeName: () => new NodeName(),
  TaintToleration: () => new TaintToleration(),
  NodeAffinity: () => new NodeAffinity(),
  NodePorts: () => new NodePorts(),
  NodeResourcesFit: () => new NodeResourcesFit(),
  VolumeBinding: (h) => new VolumeBinding(h),
  PodTopologySpread: (h) => new PodTopologySpread(h),
  InterPodAffinity: (h) => new InterPodAffinity(h),
  DefaultPreemption: (h) => new DefaultPreemption(h),
  NodeResourcesBalancedAllocation: () => new NodeResourcesBalancedAllocation(),
  DefaultBinder: (h) => new DefaultBinder(h),
};

/** A plugin enabled at every extension point it implements; weight applies to Score. */
export interface PluginConfig {
  name: string;
  weight?: number;
}

/** Upstream's default profile (pkg/scheduler/apis/config/v1 getDefaultPlugins) with VolumeBinding as the one volume plugin, without ImageLocality. */
export const DEFAULT_PLUGINS: readonly PluginConfig[] = [
  { name: 'SchedulingGates' },
  { name: 'PrioritySort' },
  { name: 'NodeUnschedulable' },
  { name: 'NodeName' },
  { name: 'TaintToleration', weight: 3 },
  { name: 'NodeAffinity', weight: 2 },
  { name: 'NodePorts' },
  { name: 'NodeResourcesFit', weight: 1 },
  { name: 'VolumeBinding' },
  { name: 'PodTopologySpread', weight: 2 },
  { name: 'InterPodAffinity', weight: 2 },
  { name: 'DefaultPreemption' },
  { name: 'NodeResourcesBalancedAllocation', weight: 1 },
  { name: 'DefaultBinder' },
];
