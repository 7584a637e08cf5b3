/**
 * The part of workerd's "cloudflare:workers" module these tests use. The full Workers types would clash with the DOM
 * types the rest of the project is checked against.
 */
declare module "cloudflare:workers" {
  /** The Worker under test (wrangler.toml's `main`), called as the runtime calls it. */
  export const exports: { default: { fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> } };
  /** The bindings of the Worker under test: wrangler.toml's vars, the suite's secrets, and the bindings vitest.worker.config.ts adds. */
  export const env: { TEST_RATE_LIMITER: { limit(options: { key: string }): Promise<{ success: boolean }> } } & Record<string, unknown>;
}
