// The record of every transactional message handed to the mail transport (mail_log): what was
// sent to whom, when, with which Message-ID, and whether the transport took it.
import type { Db } from "../db/client.ts";
import type { MailTransport, OutgoingMessage, SentMessage } from "./transport.ts";

/** Sends `message` and records the outcome; a failure is recorded and then thrown. */
export async function sendLogged(
  db: Db,
  transport: MailTransport,
  kind: string,
  message: OutgoingMessage,
  now: Date = new Date(),
): Promise<SentMessage> {
  try {
    const sent = await transport.send(message);
    await db.kysely
      .insertInto("mail_log")
      .values({
        kind,
        recipient: message.to,
        subject: message.subject,
        message_id: sent.messageId,
        status: "sent",
        error: null,
        created_at: now.toISOString(),
      })
      .execute();
    return sent;
  } catch (err) {
    await db.kysely
      .insertInto("mail_log")
      .values({
        kind,
        recipient: message.to,
        subject: message.subject,
        message_id: null,
        status: "failed",
        error: (err as Error).message.slice(0, 500),
        created_at: now.toISOString(),
      })
      .execute();
    throw err;
  }
}
