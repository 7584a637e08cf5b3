// `npm run attack`: slow and flooding clients against a service on this machine, as an adversary without a key
// would send them (and, with one, a slow body on an action). Prints what the service held and for how long. Every
// count and wait is bounded; only loopback targets are accepted. Not a test: the figures depend on the machine.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { connect, type Socket } from "node:net";
import { parseCli } from "./cli.ts";
import { startCommandArgs } from "./bench/startup.ts";

const cli = parseCli({
  script: "attack",
  summary:
    "Slow headers, slow bodies, a huge Content-Length on GET /health and a connection flood, against --url (loopback\nonly) or against `npm start` on the embedded emulator started here (HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS,\nKEEP_ALIVE_TIMEOUT_MS and MAX_CONNECTIONS from the environment are passed to it). Prints what the service held.",
  options: {
    url: { type: "string", value: "URL", description: "a running service on 127.0.0.1, localhost or [::1]; default: start one" },
    key: { type: "string", value: "KEY", description: "an API key of --url's service, for the slow body on an action" },
    flood: { type: "string", default: "1000", value: "N", description: "connections opened at once by the flood (at most 10000)" },
    probes: { type: "string", default: "10", value: "N", description: "GET /health probes during and after the flood" },
    "drip-ms": { type: "string", default: "1000", value: "MS", description: "pause between two bytes of a slow client" },
    "max-seconds": { type: "string", default: "60", value: "S", description: "longest wait for the service to drop a client" },
  },
  example: "--flood 600 --probes 5",
});
const flood = Math.min(cli.wholeNumber("flood"), 10_000);
const probes = cli.wholeNumber("probes");
const dripMs = cli.wholeNumber("drip-ms");
const maxMs = cli.wholeNumber("max-seconds") * 1_000;

const say = (text: string) => process.stdout.write(`${text}\n`);
const seconds = (ms: number) => `${(ms / 1_000).toFixed(1)} s`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The service under attack: --url, or `npm start` on its embedded emulator with a key made for this run. */
async function target(): Promise<{ url: URL; key?: string; child?: ChildProcess }> {
  if (cli.values.url) {
    const url = new URL(String(cli.values.url));
    if (!["127.0.0.1", "localhost", "[::1]"].includes(url.hostname) || url.protocol !== "http:")
      cli.fail("--url must be http:// on 127.0.0.1, localhost or [::1]");
    return { url, ...(cli.values.key && { key: String(cli.values.key) }) };
  }
  const key = randomBytes(24).toString("base64url");
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", PORT: "0", HOST: "127.0.0.1", API_KEYS: key };
  for (const name of ["HEADERS_TIMEOUT_MS", "REQUEST_TIMEOUT_MS", "KEEP_ALIVE_TIMEOUT_MS", "MAX_CONNECTIONS"]) {
    if (process.env[name]) env[name] = process.env[name];
  }
  // As npm start runs it; stopped with this script however it ends.
  const child = spawn(process.execPath, startCommandArgs(), { env, stdio: ["ignore", "ignore", "pipe"] });
  process.once("exit", () => child.kill());
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  for (let waited = 0; !/listening on http:\/\/localhost:(\d+)/.test(stderr); waited += 50) {
    if (child.exitCode !== null || waited > 30_000) cli.fail(`the service did not start: ${stderr.trim().split("\n").pop()}`);
    await sleep(50);
  }
  const port = /listening on http:\/\/localhost:(\d+)/.exec(stderr)![1];
  return { url: new URL(`http://127.0.0.1:${port}`), key, child };
}

interface Client {
  socket: Socket;
  /** The status line the service answered, if any. */
  answer: () => string | undefined;
  /** Milliseconds from connect until the service closed the socket; undefined if still open after `boundMs`. */
  closedAfter: (boundMs: number) => Promise<number | undefined>;
}

async function open(url: URL): Promise<Client> {
  const socket = connect(Number(url.port), url.hostname.replace(/^\[|\]$/g, ""));
  let received = "";
  let closedAt: number | undefined;
  socket.on("data", (chunk) => (received += chunk.toString("latin1")));
  socket.on("error", () => {});
  const closed = once(socket, "close").then(() => (closedAt = performance.now()));
  await Promise.race([once(socket, "connect"), once(socket, "close")]);
  const connectedAt = performance.now();
  return {
    socket,
    answer: () => (received ? received.slice(0, received.indexOf("\r\n")) : undefined),
    async closedAfter(boundMs) {
      await Promise.race([closed, sleep(boundMs)]);
      return closedAt === undefined ? undefined : closedAt - connectedAt;
    },
  };
}

/** Writes `head`, then one byte of `drip` every dripMs until the socket closes. */
function slowly(client: Client, head: string, drip: string) {
  client.socket.write(head);
  let at = 0;
  const timer = setInterval(() => {
    if (client.socket.destroyed) return clearInterval(timer);
    client.socket.write(drip[at++ % drip.length]!);
  }, dripMs);
  client.socket.once("close", () => clearInterval(timer));
}

/** How a slow client ended: what it was answered and when it was dropped, or that it was still held at the bound. */
async function held(name: string, client: Client) {
  const after = await client.closedAfter(maxMs);
  client.socket.destroy();
  say(
    after === undefined ? `${name}: STILL HELD after ${seconds(maxMs)}` : `${name}: dropped after ${seconds(after)}, answered ${client.answer() ?? "nothing"}`,
  );
}

/** One GET /health on a fresh connection, given `timeoutMs` to answer. */
async function health(url: URL, timeoutMs = 2_000): Promise<boolean> {
  try {
    const res = await fetch(new URL("/health", url), { headers: { Connection: "close" }, signal: AbortSignal.timeout(timeoutMs) });
    await res.text();
    return res.status === 200;
  } catch {
    return false;
  }
}

async function healthProbes(url: URL) {
  let answered = 0;
  for (let i = 0; i < probes; i++) if (await health(url)) answered++;
  return `${answered}/${probes}`;
}

const { url, key, child } = await target();
say(`target: ${url.origin}${child ? " (npm start on the embedded emulator, started here)" : ""}; a slow client sends one byte every ${dripMs} ms`);
const host = `Host: ${url.host}\r\n`;

const huge = await open(url);
const hugeStart = performance.now();
huge.socket.write(`GET /health HTTP/1.1\r\n${host}Content-Length: 1000000000\r\n\r\n`);
const hugeClosed = await huge.closedAfter(maxMs);
say(
  `GET /health with Content-Length: 1000000000, no body: answered ${huge.answer() ?? "nothing"}, ${hugeClosed === undefined ? `STILL HELD after ${seconds(maxMs)}` : `connection closed after ${(performance.now() - hugeStart).toFixed(0)} ms`}`,
);
huge.socket.destroy();

const body = `Content-Type: application/json\r\nContent-Length: 10000\r\n\r\n{"scopes":["chat"]`;
await Promise.all([
  open(url).then((client) => {
    slowly(client, `GET /health HTTP/1.1\r\n${host}`, "X-Slow: a\r\n");
    return held("slow headers", client);
  }),
  open(url).then((client) => {
    slowly(client, `POST /v1/users HTTP/1.1\r\n${host}${body}`, " ");
    return held("slow body, no key", client);
  }),
  ...(key
    ? [
        open(url).then((client) => {
          slowly(client, `POST /v1/users HTTP/1.1\r\n${host}X-API-Key: ${key}\r\n${body}`, " ");
          return held("slow body, with a key", client);
        }),
      ]
    : []),
]);

const flooders = await Promise.all(Array.from({ length: flood }, () => open(url)));
await sleep(1_000);
const heldNow = flooders.filter((client) => !client.socket.destroyed && !client.socket.closed);
say(`connection flood: ${flood} opened at once, ${heldNow.length} held by the service, ${flood - heldNow.length} closed by it within 1 s`);
say(`  GET /health during the flood: ${await healthProbes(url)} answered`);
const drops = await Promise.all(heldNow.map((client) => client.closedAfter(maxMs)));
const stillHeld = drops.filter((after) => after === undefined).length;
const latest = Math.max(0, ...drops.filter((after) => after !== undefined));
say(
  `  held connections dropped by the service: ${heldNow.length - stillHeld}, the last after ${seconds(latest)}${stillHeld ? `; STILL HELD after ${seconds(maxMs)}: ${stillHeld}` : ""}`,
);
for (const client of flooders) client.socket.destroy();
say(`  GET /health after the flood: ${await healthProbes(url)} answered`);

child?.kill("SIGTERM");
