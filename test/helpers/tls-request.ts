import { request } from "node:https";

/** An HTTPS request that trusts `ca` (global fetch reads NODE_EXTRA_CA_CERTS only at process start). */
export function tlsRequest(url: string | URL, options: { ca?: string; method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; text: string; json: any }>((resolve, reject) => {
    const req = request(url, { method: options.method ?? "GET", headers: options.headers, ...(options.ca && { ca: options.ca }) }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => {
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on("error", reject);
    req.end(options.body);
  });
}
