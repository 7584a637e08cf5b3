import type * as oas31 from "openapi3-ts/oas31";

/**
 * The OpenAPI 3 document the converter reads, in openapi3-ts's model (the app writes 3.1; a 3.0 document reads the same
 * for everything the converter carries over, and what it cannot carry is refused by key, whatever the model says).
 */
export type OpenApiDocument = oas31.OpenAPIObject;
export type { oas31 };

/**
 * Swagger 2.0 as the converter writes it and the connector files hold it. The keys this project reads are named; the
 * rest (Swagger 2.0 keywords copied as they are, and Power Platform's x-ms-* extensions) stay open.
 */
export interface Swagger2Schema {
  $ref?: string;
  type?: string;
  format?: string;
  description?: string;
  enum?: unknown[];
  items?: Swagger2Schema;
  properties?: Record<string, Swagger2Schema>;
  required?: string[];
  [keyword: string]: unknown;
}

/** A parameter: a body one has a schema, the others carry the schema's keywords themselves (type, items, ...). */
export interface Swagger2Parameter {
  $ref?: string;
  name?: string;
  in?: string;
  description?: string;
  required?: boolean;
  type?: string;
  schema?: Swagger2Schema;
  [keyword: string]: unknown;
}

export interface Swagger2Response {
  $ref?: string;
  description?: string;
  schema?: Swagger2Schema;
  headers?: Record<string, Swagger2Schema>;
  examples?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface Swagger2Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  parameters?: Swagger2Parameter[];
  consumes?: string[];
  produces?: string[];
  responses: Record<string, Swagger2Response>;
  [key: string]: unknown;
}

export type Swagger2PathItem = { parameters?: Swagger2Parameter[] } & { [method: string]: Swagger2Operation | Swagger2Parameter[] | undefined };

export interface Swagger2SecurityScheme {
  type: string;
  name?: string;
  in?: string;
  description?: string;
  [key: string]: unknown;
}

export interface Swagger2Document {
  swagger: "2.0";
  info: oas31.InfoObject;
  host?: string;
  basePath?: string;
  schemes?: string[];
  paths: Record<string, Swagger2PathItem>;
  definitions?: Record<string, Swagger2Schema>;
  parameters?: Record<string, Swagger2Parameter>;
  responses?: Record<string, Swagger2Response>;
  securityDefinitions?: Record<string, Swagger2SecurityScheme>;
  security?: Record<string, string[]>[];
  tags?: oas31.TagObject[];
  [key: string]: unknown;
}
