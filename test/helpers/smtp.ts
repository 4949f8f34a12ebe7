// An SMTP server inside the test process (smtp-server), keeping every message it accepts parsed
// with mailparser, so tests assert on mail exactly as a real server received it. `reply` lets a
// test make the server answer with errors (421, 451, 550) for chosen recipients.
import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  envelopeTo: string[];
  raw: string;
  parsed: ParsedMail;
}

export interface TestSmtp {
  url: string;
  received: ReceivedMail[];
  /** Decides the answer per recipient: undefined accepts; a [code, text] pair refuses. */
  reply: (recipient: string) => [number, string] | undefined;
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export async function startSmtp(): Promise<TestSmtp> {
  const state: TestSmtp = {
    url: "",
    received: [],
    reply: () => undefined,
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
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
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
        const parsed = await simpleParser(raw);
        state.received.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), raw, parsed });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  state.url = `smtp://127.0.0.1:${port}?tls=off`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}
