import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it } from "vitest";

/** `npm run attack` with small limits and counts (headers past the 1 s the flood is watched): every case ends, nothing stays held. */
describe("npm run attack", () => {
  it("reports each slow client dropped with a 408 or an early answer, and the flood's excess closed at once", async () => {
    const child = spawn(
      process.execPath,
      [
        "--experimental-strip-types",
        "--disable-warning=ExperimentalWarning",
        "scripts/attack.ts",
        "--flood",
        "30",
        "--probes",
        "2",
        "--drip-ms",
        "100",
        "--max-seconds",
        "10",
      ],
      {
        env: { PATH: process.env.PATH ?? "", HEADERS_TIMEOUT_MS: "3000", REQUEST_TIMEOUT_MS: "3000", MAX_CONNECTIONS: "10" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const [code] = await once(child, "exit");
    expect(code, stderr).toBe(0);
    expect(stdout).not.toContain("STILL HELD");
    expect(stdout).toMatch(/Content-Length: 1000000000, no body: answered HTTP\/1\.1 200 OK, connection closed/);
    expect(stdout).toMatch(/slow headers: dropped after [\d.]+ s, answered HTTP\/1\.1 408/);
    expect(stdout).toMatch(/slow body, no key: dropped after [\d.]+ s, answered HTTP\/1\.1 401/);
    expect(stdout).toMatch(/slow body, with a key: dropped after [\d.]+ s, answered HTTP\/1\.1 408/);
    expect(stdout).toMatch(/connection flood: 30 opened at once, 10 held by the service, 20 closed by it within 1 s/);
    expect(stdout).toMatch(/GET \/health after the flood: 2\/2 answered/);
  }, 60_000);
});
