import type { OpenAPIObject, OperationObject, PathItemObject } from "openapi3-ts/oas31";
import { createApp } from "../../src/app.ts";
import { teamsToken } from "./jwt.ts";

/**
 * The table of actions for the tests, read from the service's own OpenAPI document: a new action is in it by itself.
 * Tests that only need "call every action" loop over it rather than listing methods and paths by hand.
 */
export interface Action {
  operationId: string;
  summary: string;
  /** In capitals, as fetch sends it. */
  method: string;
  /** The path template, e.g. /v1/users/{userId}/tokens. */
  path: string;
  /** A body the action accepts, for tests whose point is elsewhere; none for the actions that take none. */
  body?: unknown;
  /** Whether it calls ACS: its responses name ACS's failures (502). The connector's own (TestConnection, ListScopes) do not. */
  callsAcs: boolean;
}

/** Bodies that pass validation, by operationId; an action missing here is called without one. */
const VALID_BODIES: Record<string, unknown> = {
  CreateUser: { scopes: ["chat"] },
  IssueAccessToken: { scopes: ["chat"] },
  ExchangeTeamsToken: {
    teamsUserAadToken: teamsToken({ appid: "1f6a3e4b-2c8d-4e5f-9a0b-1c2d3e4f5a6b", oid: "9d8c7b6a-5f4e-4d3c-8b2a-1a0b9c8d7e6f" }),
    clientId: "1f6a3e4b-2c8d-4e5f-9a0b-1c2d3e4f5a6b",
    userObjectId: "9d8c7b6a-5f4e-4d3c-8b2a-1a0b9c8d7e6f",
  },
};

const METHODS = ["get", "put", "post", "delete", "patch"] as const;

/** Every operation of a document, in its order. */
export function actionsOf(document: OpenAPIObject): Action[] {
  return Object.entries<PathItemObject>(document.paths ?? {}).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const operation: OperationObject | undefined = item[method];
      if (!operation?.operationId) return [];
      const body = VALID_BODIES[operation.operationId];
      const callsAcs = Object.hasOwn(operation.responses ?? {}, "502");
      return [
        {
          operationId: operation.operationId,
          summary: operation.summary ?? "",
          method: method.toUpperCase(),
          path,
          callsAcs,
          ...(body !== undefined && { body }),
        },
      ];
    }),
  );
}

/** The actions of the app as tests build it (the document does not depend on the ACS client or the keys). */
export const ACTIONS = actionsOf(createApp({ services: { identity: null as never }, apiKeys: ["any"], log: () => {} }).document as OpenAPIObject);

/** The path a caller sends: `{userId}` filled in and percent-encoded, as clients send it. */
export const actionPath = (action: Action, userId: string) => action.path.replace("{userId}", encodeURIComponent(userId));

/** The actions on an existing user (issue, revoke, delete), as [method, path, body] with a valid body. */
export const userActions = (userId: string) =>
  ACTIONS.filter((action) => action.path.includes("{userId}")).map((action) => [action.method, actionPath(action, userId), action.body] as const);
