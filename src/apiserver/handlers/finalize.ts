/** namespaces/finalize: the namespace controller's write of spec.finalizers. */
import type { KubeObject } from '../../machinery/object.js';
import { isPlainObject } from '../../machinery/object.js';
import { decodeObjectBody, readBody } from '../http/body.js';
import { writeOptions, type HandlerContext } from './context.js';
import { bodyTypeOf, decodeObject } from './decode.js';
import { respondObject } from './respond-object.js';
import { validateNamespaceFinalize } from '../../api/core/namespace.js';
import { newInvalid } from '../../machinery/errors.js';

export async function handleFinalize(ctx: HandlerContext): Promise<void> {
  const opts = writeOptions(ctx);
  const body = decodeObject(
    bodyTypeOf(ctx.store.type),
    await decodeObjectBody(await readBody(ctx.req), ctx.req.headers['content-type']),
    opts,
  );
  const spec = isPlainObject(body['spec']) ? body['spec'] : {};
  const finalizers = Array.isArray(spec['finalizers']) ? (spec['finalizers'] as unknown[]).map(String) : [];
  const meta = isPlainObject(body['metadata']) ? body['metadata'] : {};
  const { obj } = await ctx.store.update(
    {
      namespace: '',
      name: ctx.info.name,
      subresource: 'finalize',
      // the finalize strategy is applied here: only spec.finalizers changes
      registryWrite: true,
      tryUpdate: (cur: KubeObject) => {
        const curSpec = (cur['spec'] ??= {}) as Record<string, unknown>;
        if (finalizers.length > 0) curSpec['finalizers'] = finalizers;
        else delete curSpec['finalizers'];
        if (typeof meta['resourceVersion'] === 'string' && meta['resourceVersion']) cur.metadata.resourceVersion = meta['resourceVersion'];
        const errs = validateNamespaceFinalize(cur);
        if (errs.length > 0) throw newInvalid({ group: '', kind: 'Namespace' }, ctx.info.name, errs);
        return cur;
      },
    },
    opts,
  );
  respondObject(ctx, 200, obj, opts.warnings);
}
