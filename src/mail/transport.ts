// How mail leaves the instance, behind one small interface so senders (sign-in links now, digests
// later) never touch nodemailer directly: `file:FOLDER` writes each message as an .eml file into an
// outbox folder (the default: nothing leaves the machine until an operator configures SMTP), and
// `smtp://` / `smtps://` URLs send through a pooled nodemailer SMTP transport.
import { mkdirSync, writeFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import nodemailer from "nodemailer";

export interface OutgoingMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Extra headers (List-Unsubscribe and friends). */
  headers?: Record<string, string>;
  /** A stable Message-ID (with angle brackets); generated when absent. */
  messageId?: string;
  date?: Date;
}

export interface SentMessage {
  messageId: string;
  /** The SMTP server's reply, or the outbox file written. */
  response: string;
}

/** A failed send, classified for retries: 4xx and connection errors are temporary, 5xx permanent. */
export class MailError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly responseCode: number | null,
  ) {
    super(message);
    this.name = "MailError";
  }
}

export interface MailTransport {
  send(message: OutgoingMessage): Promise<SentMessage>;
  close(): Promise<void>;
  /** What kind of transport this is, for logs and the admin pages. */
  readonly describe: string;
}

export interface TransportOptions {
  /** Most simultaneous SMTP connections (pooled transport). */
  maxConnections?: number;
  /** Relative outbox folders resolve against this (default: the working directory). */
  cwd?: string;
}

export function createMailTransport(mailUrl: string, options: TransportOptions = {}): MailTransport {
  if (mailUrl.startsWith("file:")) {
    const folder = mailUrl.slice("file:".length);
    return new OutboxTransport(isAbsolute(folder) ? folder : resolve(options.cwd ?? process.cwd(), folder));
  }
  return new SmtpTransport(mailUrl, options.maxConnections ?? 5);
}

/** Writes complete MIME messages (.eml) into a folder, one file per message. */
export class OutboxTransport implements MailTransport {
  readonly describe: string;
  private readonly builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  private seq = 0;

  constructor(readonly folder: string) {
    this.describe = `outbox folder ${folder}`;
  }

  async send(message: OutgoingMessage): Promise<SentMessage> {
    const info = await this.builder.sendMail(toNodemailer(message));
    mkdirSync(this.folder, { recursive: true });
    const stamp = (message.date ?? new Date()).toISOString().replace(/[:.]/g, "-");
    const name = `${stamp}-${process.pid}-${++this.seq}.eml`;
    writeFileSync(join(this.folder, name), info.message as Buffer);
    return { messageId: info.messageId, response: `written ${name}` };
  }

  async close(): Promise<void> {}
}

/** Pooled SMTP: a few long-lived connections shared by every send. */
export class SmtpTransport implements MailTransport {
  readonly describe: string;
  private readonly transport: ReturnType<typeof nodemailer.createTransport>;

  constructor(url: string, maxConnections: number) {
    const u = new URL(url);
    this.describe = `SMTP ${u.hostname}:${u.port || (u.protocol === "smtps:" ? 465 : 587)}`;
    this.transport = nodemailer.createTransport({
      pool: true,
      maxConnections,
      host: u.hostname,
      port: Number(u.port) || (u.protocol === "smtps:" ? 465 : 587),
      secure: u.protocol === "smtps:",
      ...(u.username ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } } : {}),
      // Local relays and test servers run without TLS; `?tls=off` says so explicitly.
      ...(u.searchParams.get("tls") === "off" ? { ignoreTLS: true } : {}),
      connectionTimeout: 15_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
  }

  async send(message: OutgoingMessage): Promise<SentMessage> {
    try {
      const info = await this.transport.sendMail(toNodemailer(message));
      return { messageId: info.messageId, response: String(info.response ?? "") };
    } catch (err) {
      const e = err as Error & { responseCode?: number; code?: string };
      const code = typeof e.responseCode === "number" ? e.responseCode : null;
      throw new MailError(e.message, code !== null && code >= 500 && code < 600, code);
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}

function toNodemailer(m: OutgoingMessage) {
  return {
    from: m.from,
    to: m.to,
    subject: m.subject,
    text: m.text,
    ...(m.html ? { html: m.html } : {}),
    ...(m.headers ? { headers: m.headers } : {}),
    ...(m.messageId ? { messageId: m.messageId } : {}),
    date: m.date ?? new Date(),
  };
}
