/**
 * The namespace deletion conditions (pkg/controller/namespace/deletion/status_condition_utils.go):
 * every condition type the deleter maintains is present, True with a failure reason while the
 * failure lasts, False with the "ok" reason and message otherwise.
 */

export interface NamespaceCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export const CONDITION_TYPES = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;

export type NamespaceConditionType = (typeof CONDITION_TYPES)[number];

const OK_MESSAGES: Record<NamespaceConditionType, string> = {
  NamespaceDeletionDiscoveryFailure: 'All resources successfully discovered',
  NamespaceDeletionGroupVersionParsingFailure: 'All legacy kube types successfully parsed',
  NamespaceDeletionContentFailure: 'All content successfully deleted, may be waiting on finalization',
  NamespaceContentRemaining: 'All content successfully removed',
  NamespaceFinalizersRemaining: 'All content successfully removed',
};

const OK_REASONS: Record<NamespaceConditionType, string> = {
  NamespaceDeletionDiscoveryFailure: 'ResourcesDiscovered',
  NamespaceDeletionGroupVersionParsingFailure: 'ParsedGroupVersions',
  NamespaceDeletionContentFailure: 'ContentDeleted',
  NamespaceContentRemaining: 'ContentRemoved',
  NamespaceFinalizersRemaining: 'ContentRemoved',
};

/** What is left in a namespace after one pass of deletion. */
export interface ContentTotals {
  /** `resource.group` (as upstream prints it: `pods.` for the core group) → items remaining. */
  remaining: Map<string, number>;
  /** finalizer → items carrying it. */
  finalizers: Map<string, number>;
}

/** Collects the failures of one deletion pass and turns them into conditions. */
export class NamespaceConditionUpdater {
  readonly #conditions: NamespaceCondition[] = [];
  readonly #deleteErrors: string[] = [];
  readonly #now: string;

  constructor(now: string) {
    this.#now = now;
  }

  processDiscoveryError(message: string): void {
    this.#conditions.push(this.#failure('NamespaceDeletionDiscoveryFailure', 'DiscoveryFailed', message));
  }

  processDeleteContentError(message: string): void {
    this.#deleteErrors.push(message);
  }

  processContentTotals(totals: ContentTotals): void {
    const remaining = [...totals.remaining].filter(([, n]) => n > 0).map(([gr, n]) => `${gr} has ${n} resource instances`);
    if (remaining.length > 0) {
      remaining.sort();
      this.#conditions.push(
        this.#failure('NamespaceContentRemaining', 'SomeResourcesRemain', `Some resources are remaining: ${remaining.join(', ')}`),
      );
    }
    const byFinalizer = [...totals.finalizers].filter(([, n]) => n > 0).map(([f, n]) => `${f} in ${n} resource instances`);
    if (byFinalizer.length > 0) {
      byFinalizer.sort();
      this.#conditions.push(
        this.#failure('NamespaceFinalizersRemaining', 'SomeFinalizerRemain', `Some finalizers are remaining: ${byFinalizer.join(', ')}`),
      );
    }
  }

  /** Applies the conditions to a namespace status (in place); true when something changed. */
  update(status: { conditions?: NamespaceCondition[] }): boolean {
    if (this.#deleteErrors.length > 0 && !this.#conditions.some((c) => c.type === 'NamespaceDeletionContentFailure')) {
      const msgs = [...this.#deleteErrors].sort();
      this.#conditions.push(
        this.#failure(
          'NamespaceDeletionContentFailure',
          'ContentDeletionFailed',
          `Failed to delete all resource types, ${msgs.length} remaining: ${msgs.join(', ')}`,
        ),
      );
    }
    const conditions = (status.conditions ??= []);
    let changed = false;
    for (const type of CONDITION_TYPES) {
      const next = this.#conditions.find((c) => c.type === type) ?? {
        type,
        status: 'False',
        lastTransitionTime: this.#now,
        reason: OK_REASONS[type],
        message: OK_MESSAGES[type],
      };
      const old = conditions.find((c) => c.type === type);
      if (!old) {
        conditions.push(next);
        changed = true;
      } else if (old.status !== next.status || old.reason !== next.reason || old.message !== next.message) {
        if (old.status !== next.status) old.lastTransitionTime = this.#now;
        old.status = next.status;
        old.reason = next.reason;
        old.message = next.message;
        changed = true;
      }
    }
    return changed;
  }

  #failure(type: NamespaceConditionType, reason: string, message: string): NamespaceCondition {
    return { type, status: 'True', lastTransitionTime: this.#now, reason, message };
  }
}
