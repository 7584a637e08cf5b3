// Stands in for zod's barrel of every locale (`z.locales`, about 360 KB) in the Worker bundle: @hono/zod-openapi
// hands the whole `z` namespace to a function, so no bundler can drop what it re-exports. Nothing here calls
// z.locales; zod's English messages come from its own direct import of locales/en.js, which stays.
export {};
