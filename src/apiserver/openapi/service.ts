/**
 * OpenApiService: the OpenAPI documents of the served API, built once and cached until the
 * served resources change. Built-in resources come from the apiserver's ResourceType list;
 * custom resources are added and removed at run time by the CRD controller.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { ResourceType } from '../../api/resource.js';
import { customResourceDefinitions } from './custom-schemas.js';
import { fromCustomResource, fromResourceType, groupVersionPath, type CustomResourceOpenApi, type OpenApiResource } from './resources.js';
import { buildV2Document, encodeSwaggerDocument, V2_PROTOBUF_CONTENT_TYPE } from './v2.js';
import { buildV3Document, DEFAULT_INFO, v3Root, type DocumentInfo } from './v3.js';
import type { Dialect, JsonSchema } from './well-known.js';
import { cloneJson } from '../../machinery/clone.js';

/** A rendered document with its content hash (sha512, upper-case hex, as upstream). */
export class ServedDocument {
  readonly body: Buffer;
  readonly contentType: string;
  readonly hash: string;
  #gzipped: Buffer | undefined;

  constructor(body: Buffer, contentType: string) {
    this.body = body;
    this.contentType = contentType;
    this.hash = createHash('sha512').update(body).digest('hex').toUpperCase();
  }

  /** The quoted entity tag. */
  get etag(): string {
    return `"${this.hash}"`;
  }

  gzipped(): Buffer {
    this.#gzipped ??= gzipSync(this.body, { level: 6 });
    return this.#gzipped;
  }
}

export interface OpenApiServiceOptions {
  /** The built-in resources served (the apiserver's ResourceType list). */
  resources?: readonly ResourceType[];
  info?: DocumentInfo;
}

function jsonDocument(doc: unknown): ServedDocument {
  return new ServedDocument(Buffer.from(JSON.stringify(doc)), 'application/json');
}

export class OpenApiService {
  readonly #info: DocumentInfo;
  /** group-version path → built-in resources. */
  #builtin = new Map<string, OpenApiResource[]>();
  /** `group/version/plural` → custom resource. */
  readonly #custom = new Map<string, CustomResourceOpenApi>();
  readonly #v3 = new Map<string, ServedDocument>();
  #root: ServedDocument | undefined;
  #v2: { doc: JsonSchema; json?: ServedDocument; protobuf?: ServedDocument } | undefined;

  constructor(options: OpenApiServiceOptions = {}) {
    this.#info = options.info ?? DEFAULT_INFO;
    this.setResources(options.resources ?? []);
  }

  /** Replaces the built-in resources; every document is rebuilt on next use. */
  setResources(resources: readonly ResourceType[]): void {
    const byPath = new Map<string, OpenApiResource[]>();
    for (const type of resources) {
      const path = groupVersionPath(type.group, type.version);
      const list = byPath.get(path) ?? [];
      list.push(fromResourceType(type));
      byPath.set(path, list);
    }
    this.#builtin = byPath;
    this.#v3.clear();
    this.#invalidateShared();
  }

  /** Adds or replaces a custom resource version (its CRD was created, updated or established). */
  setCustomResource(crd: CustomResourceOpenApi): void {
    this.#custom.set(`${crd.group}/${crd.version}/${crd.plural}`, cloneJson(crd));
    this.#v3.delete(groupVersionPath(crd.group, crd.version));
    this.#invalidateShared();
  }

  /** Removes a custom resource version; false when it was not registered. */
  removeCustomResource(group: string, version: string, plural: string): boolean {
    if (!this.#custom.delete(`${group}/${version}/${plural}`)) return false;
    this.#v3.delete(groupVersionPath(group, version));
    this.#invalidateShared();
    return true;
  }

  /** The group-version paths with a document: `api/v1`, `apis/apps/v1`, … */
  groupVersionPaths(): string[] {
    const paths = new Set(this.#builtin.keys());
    for (const crd of this.#custom.values()) paths.add(groupVersionPath(crd.group, crd.version));
    return [...paths].sort();
  }

  /** `GET /openapi/v3`. */
  v3Root(): ServedDocument {
    this.#root ??= jsonDocument(v3Root(this.groupVersionPaths().map((path) => ({ path, hash: this.v3Document(path)?.hash ?? '' }))));
    return this.#root;
  }

  /** `GET /openapi/v3/<path>`; undefined for a group-version not served. */
  v3Document(path: string): ServedDocument | undefined {
    const cached = this.#v3.get(path);
    if (cached) return cached;
    const resources = this.#resources(path);
    if (resources.length === 0) return undefined;
    const { group, version } = resources[0] as OpenApiResource;
    const custom = this.#customDefinitions('v3', (crd) => groupVersionPath(crd.group, crd.version) === path);
    const doc = jsonDocument(buildV3Document({ group, version }, resources, custom, this.#info));
    this.#v3.set(path, doc);
    return doc;
  }

  /** `GET /openapi/v2` as JSON. */
  v2Json(): ServedDocument {
    const v2 = this.#v2Document();
    v2.json ??= jsonDocument(v2.doc);
    return v2.json;
  }

  /** `GET /openapi/v2` as gnostic protobuf (kubectl 1.27/1.28); encoded on first use. */
  v2Protobuf(): ServedDocument {
    const v2 = this.#v2Document();
    v2.protobuf ??= new ServedDocument(Buffer.from(encodeSwaggerDocument(v2.doc)), V2_PROTOBUF_CONTENT_TYPE);
    return v2.protobuf;
  }

  /** Builds every document now (e.g. at start-up), so the first client does not wait. */
  warm(): void {
    this.v3Root();
    this.v2Json();
    this.v2Protobuf();
  }

  #v2Document(): { doc: JsonSchema; json?: ServedDocument; protobuf?: ServedDocument } {
    if (!this.#v2) {
      const resources = this.groupVersionPaths().flatMap((path) => this.#resources(path));
      this.#v2 = {
        doc: buildV2Document(
          resources,
          this.#customDefinitions('v2', () => true),
          this.#info,
        ),
      };
    }
    return this.#v2;
  }

  #invalidateShared(): void {
    this.#root = undefined;
    this.#v2 = undefined;
  }

  /** Resources of a group-version: built-ins, with custom resources replacing same-named ones. */
  #resources(path: string): OpenApiResource[] {
    const custom = [...this.#custom.values()].filter((crd) => groupVersionPath(crd.group, crd.version) === path).map(fromCustomResource);
    const taken = new Set(custom.map((r) => r.plural));
    const builtin = (this.#builtin.get(path) ?? []).filter((r) => !taken.has(r.plural));
    return [...builtin, ...custom].sort((a, b) => a.plural.localeCompare(b.plural));
  }

  #customDefinitions(dialect: Dialect, include: (crd: CustomResourceOpenApi) => boolean): Map<string, JsonSchema> {
    const out = new Map<string, JsonSchema>();
    for (const crd of this.#custom.values()) {
      if (!include(crd)) continue;
      for (const [name, schema] of customResourceDefinitions(crd, dialect)) out.set(name, schema);
    }
    return out;
  }
}
