// Markup the admin pages (moderation and digests) share: the page frame with its links, and tables.
import type { Child } from "hono/jsx";
import { Layout } from "./layout.tsx";

/** An admin page: its section's links (separated by " · "), the title as the heading, the content. */
export function AdminFrame({
  title,
  section,
  links,
  children,
}: {
  title: string;
  /** The name of the links' navigation landmark. */
  section: string;
  links: [href: string, text: string][];
  children?: Child;
}) {
  return (
    <Layout title={title}>
      <nav class="admin-nav" aria-label={section}>
        {links.map(([href, text], i) => (
          <>
            {i > 0 ? " · " : null}
            <a href={href}>{text}</a>
          </>
        ))}
      </nav>
      <h1>{title}</h1>
      {children}
    </Layout>
  );
}

/** A table with one row of column headings; its body rows are the children. */
export function AdminTable({
  class: className,
  caption,
  columns,
  children,
}: {
  class: string;
  caption?: string;
  columns: string[];
  children?: Child;
}) {
  return (
    <table class={className}>
      {caption ? <caption>{caption}</caption> : null}
      <thead>
        <tr>
          {columns.map((name) => (
            <th scope="col">{name}</th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
