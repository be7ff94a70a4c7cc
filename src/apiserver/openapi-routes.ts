/** What the server needs from the OpenAPI service. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface OpenApiRoutes {
  /** Answers /openapi/v2 and /openapi/v3/…; false when the path is not one of them. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean;
}
