// A stand-in for an outside HTTP service (arXiv's API and OAI-PMH endpoint) on 127.0.0.1, port 0.
// A test gives it a handler that answers each request with a scripted reply: a recorded fixture file
// from test/fixtures, a status with headers (Retry-After), a body cut short, a closed socket or no
// answer at all. Every request is recorded with its arrival time and the id of the client's socket,
// so tests can check pacing and that one connection carried everything.
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));

/** A file under test/fixtures, e.g. `arxiv/api-page1.xml`. */
export function fixture(path: string): string {
  return readFileSync(`${FIXTURES}${path}`, "utf8");
}

export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  /** performance.now() when the request arrived. */
  at: number;
  /** Which TCP connection carried it (1 for the first connection, and so on). */
  socketId: number;
}

export type Reply =
  /** A fixture file (path under test/fixtures) or a literal body, with a status (default 200), gzipped on request. */
  | { file?: string; body?: string; status?: number; headers?: Record<string, string>; gzip?: boolean }
  /** Announces the full length, sends only the first `bytes` bytes, then closes the connection. */
  | { truncate: { file?: string; body?: string; bytes: number } }
  /** Closes the connection without answering. */
  | { destroy: true }
  /** Never answers (for timeouts); the socket is closed when the server closes. */
  | { stall: true };

export type Handler = (req: RecordedRequest, index: number) => Reply;

export interface FixtureServer {
  /** Base URL, e.g. http://127.0.0.1:43210 */
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts a server that answers request number `index` (0-based) with `handler(req, index)`. */
export async function startFixtureServer(handler: Handler): Promise<FixtureServer> {
  const requests: RecordedRequest[] = [];
  const socketIds = new WeakMap<Socket, number>();
  let sockets = 0;
  const server = createServer((req, res) => {
    const url = req.url ?? "/";
    const recorded: RecordedRequest = {
      method: req.method ?? "GET",
      url,
      query: new URL(url, "http://fixture").searchParams,
      headers: req.headers,
      at: performance.now(),
      socketId: socketIds.get(req.socket) ?? 0,
    };
    requests.push(recorded);
    let reply: Reply;
    try {
      reply = handler(recorded, requests.length - 1);
    } catch (err) {
      reply = { status: 599, body: `fixture handler failed: ${(err as Error).message}` };
    }
    answer(reply, res);
  });
  server.on("connection", (socket) => {
    socketIds.set(socket, ++sockets);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function answer(reply: Reply, res: ServerResponse) {
  if ("destroy" in reply) {
    res.socket?.destroy();
    return;
  }
  if ("stall" in reply) return;
  if ("truncate" in reply) {
    const full = Buffer.from(reply.truncate.file ? fixture(reply.truncate.file) : (reply.truncate.body ?? ""));
    res.writeHead(200, { "content-type": "application/xml; charset=utf-8", "content-length": String(full.length) });
    res.write(full.subarray(0, reply.truncate.bytes), () => res.socket?.destroy());
    return;
  }
  const plain = Buffer.from(reply.file ? fixture(reply.file) : (reply.body ?? ""));
  const body = reply.gzip ? gzipSync(plain) : plain;
  res.writeHead(reply.status ?? 200, {
    ...(reply.gzip ? { "content-encoding": "gzip" } : {}),
    "content-type": reply.file?.endsWith(".xml") ? "application/atom+xml; charset=utf-8" : "text/plain; charset=utf-8",
    "content-length": String(body.length),
    ...reply.headers,
  });
  res.end(body);
}

/** A handler that gives the replies in order; past the end it repeats the last one. */
export function inOrder(...replies: Reply[]): Handler {
  return (_req, index) => replies[Math.min(index, replies.length - 1)] as Reply;
}
