/**
 * Go structs embedded with `json:",inline"` (ProbeHandler in Probe, VolumeSource in Volume,
 * EphemeralContainerCommon in EphemeralContainer, LocalObjectReference in the key selectors and
 * ConfigMap/Secret sources) put their fields straight into the outer JSON object, but protobuf
 * keeps them as one nested message under a field number of the outer message.
 *
 * The schema language records this as `TypeDef.embedded` (see `embed()` in schema/dsl.ts): the
 * outer type declares the inlined fields without proto numbers (JSON, OpenAPI, patch and apply
 * see ordinary fields) and the protobuf codec reads `embedded` to find where they live on the
 * wire. This module keeps the names the type files and their tests use.
 */
import { allEmbeddings, embed, embeddingsOf, type Embedding } from '../../../machinery/schema/dsl.js';

export type ProtoEmbedding = Embedding;

export { embed };

/** The embedded messages of a type, in declaration order; empty when it has none. */
export function protoEmbeddings(typeName: string): readonly ProtoEmbedding[] {
  return embeddingsOf(typeName);
}

/** Every type that embeds another, with its embeddings. */
export function allProtoEmbeddings(): ReadonlyMap<string, readonly ProtoEmbedding[]> {
  return allEmbeddings();
}
