import { globSync } from "node:fs";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";

/**
 * The rooms of src/ and which way their imports run (docs/architecture.md, "Rooms"), read from the code as it runs:
 * esbuild resolves every import of every file under src/, type-only imports erased as at run time. Rules are by
 * folder, so a file that moves between rooms is judged by where it lands.
 */
type Kind = "import-statement" | "dynamic-import" | string;
let graph: Map<string, { path: string; kind: Kind }[]>;

beforeAll(async () => {
  const result = await build({
    entryPoints: globSync("src/**/*.ts"),
    bundle: true,
    write: false,
    packages: "external",
    platform: "node",
    format: "esm",
    outdir: "out",
    metafile: true,
    logLevel: "silent",
  });
  graph = new Map(
    Object.entries(result.metafile.inputs)
      .filter(([file]) => file.startsWith("src/"))
      // The project's own graph: a package reached by file path (a Worker stand-in re-exporting zod's own code) is a package.
      .map(([file, input]) => [
        file,
        input.imports.filter((i) => !i.external && !i.path.startsWith("node_modules/")).map(({ path, kind }) => ({ path, kind })),
      ]),
  );
});

const under = (folder: string) => (file: string) => file.startsWith(folder);
const REQUEST_PATH = [
  (file: string) => ["src/node.ts", "src/worker.ts", "src/app.ts"].includes(file),
  under("src/middleware/"),
  under("src/routes/"),
  under("src/acs/"),
];

/** Every file reached from `roots` through static imports (a dynamic import is loaded only when it runs). */
function reachedStatically(roots: string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const { path, kind } of graph.get(file) ?? []) if (kind !== "dynamic-import") stack.push(path);
  }
  return seen;
}

const requestPath = () => reachedStatically([...graph.keys()].filter((file) => REQUEST_PATH.some((room) => room(file))));
const importsOf = (files: (file: string) => boolean) =>
  [...graph].filter(([file]) => files(file)).flatMap(([file, imports]) => imports.map((i) => ({ from: file, ...i })));

describe("the import graph of src/", () => {
  it("reads every file", () => {
    expect([...graph.keys()]).toEqual(
      expect.arrayContaining(["src/app.ts", "src/node.ts", "src/worker.ts", "src/middleware/auth.ts", "src/emulator/index.ts"]),
    );
  });

  it("has no circle", () => {
    const circles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const visit = (file: string, trail: string[]) => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "open") {
        circles.push([...trail.slice(trail.indexOf(file)), file].join(" -> "));
        return;
      }
      state.set(file, "open");
      for (const { path } of graph.get(file) ?? []) visit(path, [...trail, file]);
      state.set(file, "done");
    };
    for (const file of graph.keys()) visit(file, []);
    expect(circles).toEqual([]);
  });

  it("the request path (entries, app, middleware, routes, acs) never reaches the emulator", () => {
    expect([...requestPath()].filter(under("src/emulator/"))).toEqual([]);
  });

  it("only the Node entry loads the emulator, and only when it runs (npm start without ACS configuration)", () => {
    const intoEmulator = importsOf((file) => !file.startsWith("src/emulator/")).filter(({ path }) => path.startsWith("src/emulator/"));
    expect(intoEmulator).toEqual([{ from: "src/node.ts", path: "src/emulator/index.ts", kind: "dynamic-import" }]);
  });

  it("the request path never reaches the connector file generator", () => {
    expect([...requestPath()].filter(under("src/connector/"))).toEqual([]);
  });

  it("the emulator knows nothing of the service: it imports only its own files", () => {
    expect(importsOf(under("src/emulator/")).filter(({ path }) => !path.startsWith("src/emulator/"))).toEqual([]);
  });

  it("the Swagger 2.0 converter (src/swagger2/) never imports the generator (src/connector/)", () => {
    expect(importsOf(under("src/swagger2/")).filter(({ path }) => path.startsWith("src/connector/"))).toEqual([]);
  });

  it("src/ imports nothing from test/ or scripts/", () => {
    expect(importsOf(under("src/")).filter(({ path }) => !path.startsWith("src/"))).toEqual([]);
  });
});
