// The emulator's state: the resource's users and, per user, a revocation generation.
import { createHash, randomBytes } from "node:crypto";

/** Formats 16 bytes as a lowercase GUID string. */
function guid(bytes: Buffer): string {
  const hex = bytes.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The resource's immutable id, derived from the access key so it is stable for a given key. */
export function resourceIdFor(accessKey: string): string {
  const bytes = createHash("sha256").update(`acs-identity-emulator:resource:${accessKey}`).digest();
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40; // version 4 / RFC 4122 variant, like a real resource GUID
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  return guid(bytes);
}

export interface UserState {
  deleted: boolean;
  /** Bumped by each revoke; a token is valid only while it carries the current generation. */
  generation: number;
  /** The caller's own identifier given on create (api-versions that have one). */
  customId?: string;
  /** When a token was last issued, ms since the epoch. */
  lastTokenIssuedAt?: number;
}

export class UserStore {
  readonly resourceId: string;
  readonly #users = new Map<string, UserState>();
  readonly #byCustomId = new Map<string, string>();

  constructor(resourceId: string) {
    this.resourceId = resourceId;
  }

  /** A new id shaped like real ones: `8:acs:<resource GUID>_<GUID-like suffix>` (suffixes start 0000000x). */
  create(customId?: string): { id: string; user: UserState } {
    const suffix = randomBytes(16);
    suffix[0] = 0;
    suffix[1] = 0;
    suffix[2] = 0;
    suffix[3] = 6;
    const id = `8:acs:${this.resourceId}_${guid(suffix)}`;
    const user: UserState = { deleted: false, generation: 0, ...(customId !== undefined && { customId }) };
    this.#users.set(id, user);
    if (customId !== undefined) this.#byCustomId.set(customId, id);
    return { id, user };
  }

  /** The live user created with this custom id. */
  byCustomId(customId: string): { id: string; user: UserState } | undefined {
    const id = this.#byCustomId.get(customId);
    const user = id === undefined ? undefined : this.live(id);
    return id !== undefined && user ? { id, user } : undefined;
  }

  /** The live user with this id, or undefined when it is unknown to this resource or deleted. */
  live(id: string): UserState | undefined {
    const user = this.#users.get(id);
    return user && !user.deleted ? user : undefined;
  }

  /** Any user this resource ever had, deleted ones included (for token verification). */
  find(id: string): UserState | undefined {
    return this.#users.get(id);
  }

  revoke(user: UserState): void {
    user.generation += 1;
  }

  /** ASSUMPTION: a deleted user's custom id is free again (nothing documents it either way). */
  delete(user: UserState): void {
    if (user.customId !== undefined) this.#byCustomId.delete(user.customId);
    user.deleted = true;
    user.generation += 1;
  }
}
