// A local stand-in for an OpenAI-compatible embedding service (`POST /v1/embeddings`), answering
// with deterministic fake vectors, recording every request, and playing scripted failures first.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** The fake vector the server returns for a text: small integers derived from its characters. */
export function fakeVector(text: string, dims: number): number[] {
  const v = new Array<number>(dims).fill(1);
  for (let i = 0; i < text.length; i++) {
    const d = i % dims;
    v[d] = ((v[d] as number) + text.charCodeAt(i) * (d + 1)) % 17;
  }
  return v;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A scripted answer: given the request, write a response (or never answer). */
export type Responder = (req: RecordedRequest, res: ServerResponse) => void;

export interface EmbeddingsServer {
  url: string;
  requests: RecordedRequest[];
  /** Answers to play, in order, before normal answers resume. */
  script: Responder[];
  close(): Promise<void>;
}

/** Answers `status` with a JSON (or raw string) body and extra headers. */
export function reply(status: number, body: unknown, headers: Record<string, string> = {}): Responder {
  return (_req, res) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(typeof body === "string" ? body : JSON.stringify(body));
  };
}

/** Starts the server on 127.0.0.1 with a free port. */
export async function startEmbeddingsServer(dims = 8): Promise<EmbeddingsServer> {
  const requests: RecordedRequest[] = [];
  const script: Responder[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const recorded = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(recorded);
      const scripted = script.shift();
      if (scripted) return scripted(recorded, res);
      if (req.method !== "POST" || req.url !== "/v1/embeddings") {
        return reply(404, { error: `no route ${req.method} ${req.url}` })(recorded, res);
      }
      const { model, input } = JSON.parse(recorded.body) as { model: string; input: string[] };
      const data = input.map((text, index) => ({ object: "embedding", index, embedding: fakeVector(text, dims) }));
      reply(200, { object: "list", model, data, usage: { prompt_tokens: 0, total_tokens: 0 } })(recorded, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
