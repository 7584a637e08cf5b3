// The Worker bundle's `zod` (wrangler.toml [alias]): a `z` holding only the members the service's schemas use.
// @hono/zod-openapi imports zod's whole `z` namespace and hands it to a function, so no bundler can drop any part of
// zod through it; this object lets esbuild keep only what is named here (README: Performance, the Worker bundle).
// The types still come from zod itself. test/worker-bundle.test.ts fails when src/ uses a member missing here.
import { array, enum as enum_, literal, number, object, strictObject, string, ZodType } from "zod/v4";

export const z = { array, enum: enum_, literal, number, object, strictObject, string, ZodType };
