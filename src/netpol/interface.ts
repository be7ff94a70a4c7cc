/**
 * The network policy controller's contract (kube-router's, as k3s embeds it in every agent): from
 * the NetworkPolicies, Namespaces and Pods the API shows, each agent computes filter-table
 * chains for the pods of its own node (rules.ts) and writes them with one iptables-restore per
 * sync (iptables.ts). A pod selected by a policy of type Ingress (Egress) accepts (sends) only
 * what some rule of such a policy allows, plus replies; traffic between a pod and its node is
 * always allowed.
 */
import type { KubeObject } from '../machinery/object.js';

/** The protocols a NetworkPolicyPort may name. */
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** A container port, for named ports in rules. */
export interface NamedPort {
  name: string;
  port: number;
  protocol: Protocol;
}

/** A pod as the rules see it: only pods with a pod-network IPv4 address that are not finished. */
export interface PolicyPod {
  namespace: string;
  name: string;
  labels: Readonly<Record<string, string>>;
  /** status.podIPs, IPv4 only. */
  ips: readonly string[];
  nodeName: string;
  /** The containers' named ports. */
  ports: readonly NamedPort[];
}

export interface PolicyNamespace {
  name: string;
  labels: Readonly<Record<string, string>>;
}

/** What one sync computes from. */
export interface PolicyInputs {
  /** This agent's node: only its pods get firewall chains. */
  nodeName: string;
  pods: readonly PolicyPod[];
  namespaces: readonly PolicyNamespace[];
  /** networking.k8s.io/v1 NetworkPolicies as the API serves them (defaulted). */
  policies: readonly KubeObject[];
}

/**
 * The controller's filter-table chains with their rules in order; each rule is what follows
 * `-A <chain>` in iptables-restore input. KUBE-ROUTER-FORWARD is always present.
 */
export type FilterChains = ReadonlyMap<string, readonly string[]>;

/** What one apply did. */
export interface SyncResult {
  kind: 'full' | 'partial';
  /** Chains written and removed (0 and 0: nothing changed, no iptables-restore). */
  written: number;
  removed: number;
}

/** Where the chains are written: the node's filter table. */
export interface PolicyFirewall {
  /**
   * Makes the controller's chains exactly `chains` (chains no longer wanted are deleted) and
   * keeps FORWARD's first rule a jump to KUBE-ROUTER-FORWARD, in one iptables-restore. Only the
   * chains that changed since the last apply are written, unless `full` (then every chain is,
   * and the table is read for stale chains first: a periodic resync repairs what others removed).
   */
  apply(chains: FilterChains, options?: { full?: boolean }): Promise<SyncResult>;
  /** Removes the jump and every chain of the controller's. Returns the chains removed. */
  cleanup(): Promise<string[]>;
}
