// An SMTP server inside the test process (smtp-server), keeping every message it accepts parsed
// with mailparser, so tests assert on mail exactly as a real server received it. `reply` lets a
// test make the server answer with errors (421, 451, 550) for chosen recipients; `drop` and
// `dropConnections` make it cut connections (at RCPT TO for chosen recipients, or as soon as the
// next N connections open), the way a crashing or overloaded server does. `startSmtp({ parse:
// false })` keeps the raw messages only, for tests that receive thousands of them.
import type { AddressInfo, Socket } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail<Parsed = ParsedMail> {
  envelopeTo: string[];
  raw: string;
  /** The message parsed by mailparser; null when the server was started with `parse: false`. */
  parsed: Parsed;
}

export interface TestSmtp<Parsed = ParsedMail> {
  url: string;
  received: ReceivedMail<Parsed>[];
  /** Decides the answer per recipient: undefined accepts; a [code, text] pair refuses. */
  reply: (recipient: string) => [number, string] | undefined;
  /** True cuts the connection at this RCPT TO instead of answering (checked before `reply`). */
  drop: (recipient: string) => boolean;
  /** The next this-many connections are cut as soon as they open, before the greeting. */
  dropConnections: number;
  /** Every RCPT TO address the server saw, accepted, refused or dropped, in order. */
  rcptTo: string[];
  /** Connections opened so far. */
  connections: number;
  /** Connection errors (a client that vanished mid-transaction: ECONNRESET), kept instead of thrown. */
  errors: Error[];
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail<Parsed>[]>;
  close(): Promise<void>;
}

export async function startSmtp(): Promise<TestSmtp>;
export async function startSmtp(options: { parse: false }): Promise<TestSmtp<null>>;
export async function startSmtp(options: { parse?: boolean } = {}): Promise<TestSmtp<ParsedMail | null>> {
  const parse = options.parse ?? true;
  const state: TestSmtp<ParsedMail | null> = {
    url: "",
    received: [],
    reply: () => undefined,
    drop: () => false,
    dropConnections: 0,
    rcptTo: [],
    connections: 0,
    errors: [],
    async waitFor(count, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      while (state.received.length < count) {
        if (Date.now() > until) throw new Error(`expected ${count} messages, got ${state.received.length}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return state.received;
    },
    close: async () => {},
  };
  // The raw sockets by client port, so a session (which knows its remotePort) can be cut.
  const sockets = new Map<number, Socket>();
  const cut = (port: number) => {
    sockets.get(port)?.destroy();
    sockets.delete(port);
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onConnect(session, callback) {
      state.connections++;
      if (state.dropConnections > 0) {
        state.dropConnections--;
        cut(session.remotePort);
        return;
      }
      callback();
    },
    onRcptTo(address, session, callback) {
      state.rcptTo.push(address.address);
      if (state.drop(address.address)) {
        cut(session.remotePort);
        return;
      }
      const refusal = state.reply(address.address);
      if (!refusal) return callback();
      const err = new Error(refusal[1]) as Error & { responseCode: number };
      err.responseCode = refusal[0];
      return callback(err);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", async () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const parsed = parse ? await simpleParser(raw) : null;
        state.received.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), raw, parsed });
        callback();
      });
    },
  });
  // A client killed in the middle of a transaction resets its connection; smtp-server reports
  // that as an "error" event, which would otherwise crash the test process.
  server.on("error", (err) => state.errors.push(err));
  server.server.on("connection", (socket: Socket) => {
    const port = socket.remotePort;
    if (port === undefined) return;
    sockets.set(port, socket);
    socket.once("close", () => {
      if (sockets.get(port) === socket) sockets.delete(port);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  state.url = `smtp://127.0.0.1:${port}?tls=off`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}
