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
}

export class UserStore {
  readonly resourceId: string;
  readonly #users = new Map<string, UserState>();

  constructor(resourceId: string) {
    this.resourceId = resourceId;
  }

  /** A new id shaped like real ones: `8:acs:<resource GUID>_<GUID-like suffix>` (suffixes start 0000000x). */
  create(): string {
    const suffix = randomBytes(16);
    suffix[0] = 0;
    suffix[1] = 0;
    suffix[2] = 0;
    suffix[3] = 6;
    const id = `8:acs:${this.resourceId}_${guid(suffix)}`;
    this.#users.set(id, { deleted: false, generation: 0 });
    return id;
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

  delete(user: UserState): void {
    user.deleted = true;
    user.generation += 1;
  }
}
