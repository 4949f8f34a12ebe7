// A digest edition as an email: multipart plain text and HTML. The HTML is built for mail clients:
// one 600-pixel table, inline styles only, no scripts, no images, no tracking, colours that read
// in light and dark mode; every paper says why it is there. Headers: a stable Message-ID per
// edition, and the RFC 8058 pair (List-Unsubscribe with an https URL and a mailto, and
// List-Unsubscribe-Post) so mail providers can offer one-click unsubscribe.
import { createHash } from "node:crypto";
import type { Config } from "../config/config.ts";
import type { OutgoingMessage } from "../mail/transport.ts";
import type { PaperCard } from "../papers/cards.ts";
import { escapeHtml } from "../web/render/math.ts";
import type { DigestItem } from "./compose.ts";

export interface DigestLinks {
  manage: string;
  unsubscribe: string;
}

export interface RenderInput {
  config: Pick<Config, "baseUrl" | "mailFrom">;
  to: string;
  edition: string;
  frequency: "daily" | "weekly";
  items: DigestItem[];
  cards: Map<number, PaperCard>;
  links: DigestLinks;
  messageId: string;
  date: Date;
}

const ABSTRACT_CHARS = 280;
const AUTHORS_SHOWN = 3;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A Message-ID that is the same every time this edition is built for this subscriber. */
export function editionMessageId(config: Pick<Config, "baseUrl">, subscriberId: number, edition: string): string {
  const host = new URL(config.baseUrl).hostname || "paperboy.local";
  const hash = createHash("sha256").update(`${subscriberId}:${edition}`).digest("hex").slice(0, 12);
  return `<digest.${edition}.${subscriberId}.${hash}@${host}>`;
}

/** "27 Nov 2026" for a daily edition, "week 48, 2026" for a weekly one. */
export function editionLabel(edition: string): string {
  const week = /^(\d{4})-W(\d{2})$/.exec(edition);
  if (week) return `week ${Number(week[2])}, ${week[1]}`;
  const [y, m, d] = edition.split("-").map(Number) as [number, number, number];
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

function excerpt(text: string): string {
  if (text.length <= ABSTRACT_CHARS) return text;
  const cut = text.lastIndexOf(" ", ABSTRACT_CHARS);
  return `${text.slice(0, cut > 0 ? cut : ABSTRACT_CHARS)}…`;
}

function authorsLine(authors: string[]): string {
  return authors.length > AUTHORS_SHOWN ? `${authors.slice(0, AUTHORS_SHOWN).join(", ")} et al.` : authors.join(", ");
}

/** The address part of a From header ("Paperboy <papers@example.org>" → papers@example.org). */
function address(from: string): string {
  return /<([^>]+)>/.exec(from)?.[1] ?? from.trim();
}

export function renderDigest(input: RenderInput): OutgoingMessage {
  const { config, items, cards } = input;
  const label = editionLabel(input.edition);
  const papers = items.flatMap((item) => {
    const card = cards.get(item.paperId);
    return card ? [{ item, card }] : [];
  });
  const subject =
    papers.length === 0
      ? `Paperboy: nothing new for ${label}`
      : `${papers.length} ${papers.length === 1 ? "paper" : "papers"} for you, ${label}: ${papers[0]?.card.title ?? ""}`.slice(
          0,
          160,
        );
  const pageUrl = (card: PaperCard) => `${config.baseUrl}/papers/${card.arxivId}`;

  const text = [
    `Paperboy ${input.frequency === "weekly" ? "weekly" : "daily"} digest, ${label}`,
    "",
    ...(papers.length === 0 ? ["Nothing new worth sending this time."] : []),
    ...papers.flatMap(({ item, card }, i) => [
      `${i + 1}. ${card.title}`,
      `   ${authorsLine(card.authors)}`,
      `   Why: ${item.reason}`,
      `   ${pageUrl(card)}`,
      "",
      `   ${excerpt(card.abstract)}`,
      "",
    ]),
    "--",
    `Change what you get: ${input.links.manage}`,
    `Unsubscribe: ${input.links.unsubscribe}`,
  ].join("\n");

  const row = ({ item, card }: (typeof papers)[number], i: number) => `
<tr><td style="padding:18px 24px;border-top:1px solid #d9dbe1;">
<p style="margin:0 0 4px;font-size:12px;line-height:16px;color:#8a3b12;font-weight:bold;">${i + 1}. ${escapeHtml(item.reason)}</p>
<p style="margin:0 0 4px;font-size:17px;line-height:23px;font-weight:bold;"><a href="${escapeHtml(pageUrl(card))}" style="color:#1a4fb5;text-decoration:none;">${escapeHtml(card.title)}</a></p>
<p style="margin:0 0 8px;font-size:13px;line-height:18px;color:#55575f;">${escapeHtml(authorsLine(card.authors))}${card.upvotes > 0 ? ` &middot; ${card.upvotes} upvotes` : ""}</p>
<p style="margin:0 0 8px;font-size:14px;line-height:21px;color:#2b2d33;">${escapeHtml(excerpt(card.abstract))}</p>
<p style="margin:0;font-size:13px;line-height:18px;"><a href="${escapeHtml(card.links.abs)}" style="color:#1a4fb5;">arXiv</a> &middot; <a href="${escapeHtml(card.links.pdf)}" style="color:#1a4fb5;">PDF</a>${card.links.code ? ` &middot; <a href="${escapeHtml(card.links.code)}" style="color:#1a4fb5;">Code</a>` : ""}</p>
</td></tr>`;

  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="color-scheme" content="light dark"><meta name="supported-color-schemes" content="light dark">
<title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:0;background:#f1f2f6;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f1f2f6;"><tr><td align="center" style="padding:16px 8px;">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;width:100%;background:#ffffff;border:1px solid #d9dbe1;border-radius:8px;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;">
<tr><td style="padding:20px 24px 12px;">
<p style="margin:0;font-size:20px;line-height:26px;font-weight:bold;color:#b3261e;">Paperboy</p>
<p style="margin:4px 0 0;font-size:14px;line-height:20px;color:#55575f;">Your ${input.frequency === "weekly" ? "weekly" : "daily"} papers, ${escapeHtml(label)}</p>
</td></tr>${papers.length === 0 ? `<tr><td style="padding:18px 24px;border-top:1px solid #d9dbe1;font-size:14px;color:#2b2d33;">Nothing new worth sending this time.</td></tr>` : papers.map(row).join("")}
<tr><td style="padding:16px 24px 20px;border-top:1px solid #d9dbe1;font-size:12px;line-height:18px;color:#55575f;">
You get this because you subscribed to Paperboy digests at ${escapeHtml(input.to)}.<br>
<a href="${escapeHtml(input.links.manage)}" style="color:#1a4fb5;">Change what you get</a> &middot; <a href="${escapeHtml(input.links.unsubscribe)}" style="color:#1a4fb5;">Unsubscribe</a>
</td></tr></table></td></tr></table></body></html>`;

  const mailto = `mailto:${address(config.mailFrom)}?subject=${encodeURIComponent(`unsubscribe ${input.links.unsubscribe}`)}`;
  return {
    from: config.mailFrom,
    to: input.to,
    subject,
    text,
    html,
    messageId: input.messageId,
    date: input.date,
    headers: {
      "List-Unsubscribe": `<${input.links.unsubscribe}>, <${mailto}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      "List-Id": `Paperboy digest <digest.${new URL(config.baseUrl).hostname || "paperboy.local"}>`,
      "Auto-Submitted": "auto-generated",
    },
  };
}
