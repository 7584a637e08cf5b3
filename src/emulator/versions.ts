// The api-versions the emulator answers, each with the features of its REST spec in Azure/azure-rest-api-specs
// specification/communication/data-plane/Identity ({stable,preview}/<version>/CommunicationIdentity.json).
// The README of the emulator has the same table for readers.

const CHAT_VOIP = ["chat", "voip"] as const;
// CommunicationIdentityTokenScope from stable/2023-10-01 on.
const ALL_SCOPES = ["chat", "voip", "chat.join", "chat.join.limited", "voip.join"] as const;

export interface VersionFeatures {
  /** Scopes a token may be asked for. */
  scopes: readonly string[];
  /** Whether `expiresInMinutes` is part of the version's requests (ignored otherwise, as an unknown JSON field is). */
  expiresInMinutes: boolean;
  /**
   * POST /teamsUser/:exchangeAccessToken: absent, `token` alone (the previews' TeamsUserAccessTokenRequest), or
   * `{ token, appId, userId }` (from stable/2022-06-01 on).
   */
  teams: false | "token" | "token+app+user";
  /** The create request's own identifier of the user, and GET /identities/{id}; the field's name differs per version. */
  customId: false | "customId" | "externalId";
  /** preview/2020-07-20-preview2's issueAccessToken answer also carries the identity's `id`. */
  issueEchoesId: boolean;
}

const BASE: VersionFeatures = { scopes: CHAT_VOIP, expiresInMinutes: false, teams: false, customId: false, issueEchoesId: false };
const TEAMS_2022: VersionFeatures = { ...BASE, teams: "token+app+user" };
const EXPIRY_2022: VersionFeatures = { ...TEAMS_2022, expiresInMinutes: true };
const SCOPES_2023: VersionFeatures = { ...EXPIRY_2022, scopes: ALL_SCOPES };

/** Oldest first, which is also the order of the recorded `api-supported-versions` header. */
export const VERSIONS: ReadonlyMap<string, VersionFeatures> = new Map([
  ["2020-07-20-preview2", { ...BASE, issueEchoesId: true }],
  ["2021-02-22-preview1", BASE],
  ["2021-03-07", BASE],
  ["2021-03-31-preview1", { ...BASE, teams: "token" }],
  ["2021-10-31-preview", { ...BASE, teams: "token" }],
  // No spec: a version the real service lists on /identities between 2021-10-31-preview and 2022-06-01. ASSUMPTION: it gets the
  // identity features of the version before it; not the Teams exchange, which the recorded /teamsUser list
  // ("2021-10-31-preview, 2022-06-01, 2022-10-01") leaves it out of.
  ["2021-11-01", BASE],
  ["2022-06-01", TEAMS_2022],
  ["2022-10-01", EXPIRY_2022],
  ["2023-08-01", EXPIRY_2022],
  ["2023-08-30-preview", EXPIRY_2022],
  ["2023-10-01", SCOPES_2023],
  ["2025-03-02-preview", { ...SCOPES_2023, customId: "customId" }],
  ["2025-04-01-preview", { ...SCOPES_2023, customId: "externalId" }],
  ["2025-06-30", SCOPES_2023],
  ["2026-07-22", SCOPES_2023],
  ["2026-09-23", SCOPES_2023],
]);

/** The two route groups the real service versions (and lists in `api-supported-versions`) apart. */
export type Resource = "identities" | "teamsUser";

export function hasResource(features: VersionFeatures, resource: Resource): boolean {
  return resource === "identities" || features.teams !== false;
}

const headerCache = new Map<Resource, string>();

/**
 * The `api-supported-versions` header: the versions that have the resource, comma and space, oldest first (as
 * recorded: the whole list on /identities, only the Teams versions on /teamsUser).
 */
export function supportedVersions(resource: Resource): string {
  let header = headerCache.get(resource);
  if (header === undefined) {
    header = [...VERSIONS]
      .filter(([, features]) => hasResource(features, resource))
      .map(([version]) => version)
      .join(", ");
    headerCache.set(resource, header);
  }
  return header;
}
