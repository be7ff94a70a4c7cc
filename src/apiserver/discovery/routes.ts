/** Routes /api, /apis, /apis/<group>, /api/v1 and /apis/<group>/<version> to discovery documents. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceType } from '../../api/resource.js';
import type { ApiRegistry } from '../api-registry.js';
import { sendJSON } from '../http/respond.js';
import { newNotAcceptable } from '../../machinery/errors.js';
import { negotiateDiscovery } from '../negotiation.js';
import { aggregatedDiscovery, apiGroup, apiGroupList, apiResourceList, apiVersions } from './documents.js';

export function serveDiscovery(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  registry: ApiRegistry,
  virtual: ResourceType[],
  serverAddress: string,
): boolean {
  const parts = path.split('/').filter(Boolean);
  if (parts[0] !== 'api' && parts[0] !== 'apis') return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const groups = registry.groups(virtual);
  if (parts.length === 1) {
    const format = negotiateDiscovery(req.headers.accept);
    if (!format)
      throw newNotAcceptable(
        'only the following media types are accepted: application/json, application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
      );
    const legacy = parts[0] === 'api';
    const chosen = legacy ? groups.filter((g) => g.group === '') : groups.filter((g) => g.group !== '');
    if (format.kind === 'aggregated') {
      sendJSON(
        res,
        200,
        aggregatedDiscovery(chosen, format.version),
        `application/json;g=apidiscovery.k8s.io;v=${format.version};as=APIGroupDiscoveryList`,
      );
    } else {
      sendJSON(res, 200, legacy ? apiVersions(serverAddress) : apiGroupList(chosen));
    }
    return true;
  }
  if (parts[0] === 'api' && parts.length === 2) {
    const core = groups.find((g) => g.group === '');
    const v = core?.versions.find((x) => x.version === parts[1]);
    if (!v) return false;
    sendJSON(res, 200, apiResourceList(v));
    return true;
  }
  if (parts[0] === 'apis' && parts.length === 2) {
    const g = groups.find((x) => x.group === parts[1] && x.group !== '');
    if (!g) return false;
    sendJSON(res, 200, apiGroup(g));
    return true;
  }
  if (parts[0] === 'apis' && parts.length === 3) {
    const g = groups.find((x) => x.group === parts[1] && x.group !== '');
    const v = g?.versions.find((x) => x.version === parts[2]);
    if (!v) return false;
    sendJSON(res, 200, apiResourceList(v));
    return true;
  }
  return false;
}
