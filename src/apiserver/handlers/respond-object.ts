/** Rendering one object or a list in what the client asked for: JSON, YAML, Table or metadata only. */
import type { KubeList, KubeObject } from '../../machinery/object.js';
import { takeWrittenJson } from '../registry/codec.js';
import { addWarnings, sendJSON, sendText, sendYAML } from '../http/respond.js';
import { parseIncludeObject, toTable } from '../table.js';
import { query, rendering, type HandlerContext } from './context.js';

export function respondObject(ctx: HandlerContext, code: number, obj: KubeObject, warnings: readonly string[] = []): void {
  addWarnings(ctx.res, warnings);
  const r = rendering(ctx);
  if (r.kind === 'table') {
    const table = toTable(ctx.store.type, [obj], { include: parseIncludeObject(query(ctx, 'includeObject') ?? null), version: r.version });
    table.metadata = { resourceVersion: obj.metadata.resourceVersion ?? '' };
    sendJSON(ctx.res, code, table, `application/json;as=Table;v=${r.version};g=meta.k8s.io`);
  } else if (r.kind === 'partial') {
    sendJSON(
      ctx.res,
      code,
      { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${r.version}`, metadata: obj.metadata },
      `application/json;as=PartialObjectMetadata;v=${r.version};g=meta.k8s.io`,
    );
  } else if (r.format === 'yaml') {
    sendYAML(ctx.res, code, obj);
  } else {
    // a write's response is the text it stored
    const written = takeWrittenJson(obj);
    if (written !== undefined) sendText(ctx.res, code, written, 'application/json');
    else sendJSON(ctx.res, code, obj);
  }
}

export function respondList(ctx: HandlerContext, list: KubeList): void {
  const r = rendering(ctx);
  if (r.kind === 'table') {
    const table = toTable(ctx.store.type, list.items, {
      include: parseIncludeObject(query(ctx, 'includeObject') ?? null),
      version: r.version,
      listMeta: list.metadata,
    });
    sendJSON(ctx.res, 200, table, `application/json;as=Table;v=${r.version};g=meta.k8s.io`);
  } else if (r.kind === 'partial') {
    sendJSON(
      ctx.res,
      200,
      {
        kind: 'PartialObjectMetadataList',
        apiVersion: `meta.k8s.io/${r.version}`,
        metadata: list.metadata,
        items: list.items.map((o) => ({ kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${r.version}`, metadata: o.metadata })),
      },
      `application/json;as=PartialObjectMetadataList;v=${r.version};g=meta.k8s.io`,
    );
  } else if (r.format === 'yaml') {
    sendYAML(ctx.res, 200, list);
  } else {
    sendJSON(ctx.res, 200, list);
  }
}
