/** OpenAPI v2 and v3 documents of the served API, and their HTTP handler. */
export { OpenApiService, ServedDocument, type OpenApiServiceOptions } from './service.js';
export { createOpenApiRoutes, handleOpenApi, type OpenApiRoutesWithService } from './routes.js';
export type { CustomResourceOpenApi, OpenApiResource } from './resources.js';
export { buildV3Document, v3Root, type DocumentInfo, type V3Root } from './v3.js';
export { buildV2Document, encodeSwaggerDocument, V2_PROTOBUF_CONTENT_TYPE } from './v2.js';
