/** Admission: plugins that may change (mutate) or refuse (validate) a write before it is stored. */
import type { ResourceType } from '../../api/resource.js';
import type { KubeObject } from '../../machinery/object.js';
import type { UserInfo } from '../registry/context.js';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE';

export interface AdmissionAttributes {
  operation: Operation;
  type: ResourceType;
  namespace: string;
  name: string;
  subresource: string;
  /** The new object (CREATE, UPDATE); plugins in `admit` may change it. */
  object?: KubeObject;
  oldObject?: KubeObject;
  user?: UserInfo;
  dryRun: boolean;
  /** Warnings for the client (the Warning header); plugins may add to it. */
  warnings?: string[];
  /** upstream AddAnnotation: an annotation for the request's audit event (the first value of a key stays). */
  addAnnotation?(key: string, value: string): void;
}

export interface AdmissionPlugin {
  readonly name: string;
  /** Mutating phase; throws StatusError to refuse. */
  admit?(attrs: AdmissionAttributes): void | Promise<void>;
  /** Validating phase, after the strategy's validation; throws StatusError to refuse. */
  validate?(attrs: AdmissionAttributes): void | Promise<void>;
}

/** Runs plugins in order: every admit, then (separately) every validate. */
export class AdmissionChain {
  readonly #plugins: AdmissionPlugin[];

  constructor(plugins: AdmissionPlugin[] = []) {
    this.#plugins = plugins;
  }

  add(plugin: AdmissionPlugin): void {
    this.#plugins.push(plugin);
  }

  async admit(attrs: AdmissionAttributes): Promise<void> {
    for (const p of this.#plugins) await p.admit?.(attrs);
  }

  async validate(attrs: AdmissionAttributes): Promise<void> {
    for (const p of this.#plugins) await p.validate?.(attrs);
  }
}
