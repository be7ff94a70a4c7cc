/**
 * The core/v1 types reachable from Pod and PodTemplate. Importing this module declares them all
 * in the schema registry; it re-exports their definition names and the protobuf embedding table.
 */
import './pod-references.js';
import './pod-types.js';
import './pod-spec.js';
import './pod-spec-parts.js';
import './pod-status.js';
import './container-types.js';
import './container-env.js';
import './container-status.js';
import './probe-types.js';
import './security-types.js';
import './affinity-types.js';
import './volume-types.js';
import './volume-sources.js';
import './volume-projected.js';
import './volume-sources-block.js';
import './volume-sources-cloud.js';

export * from './pod-names.js';
export { protoEmbeddings, allProtoEmbeddings } from './pod-embedding.js';
export type { ProtoEmbedding } from './pod-embedding.js';
