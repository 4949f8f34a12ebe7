// Parses arXiv identifiers as people paste them: bare ids, versioned ids, old-style ids and
// abs/pdf/html URLs. The canonical form has no version: `2406.01234`, `hep-th/9901001`.

export interface ArxivId {
  /** Canonical id without version. */
  id: string;
  /** Version number when the input named one. */
  version: number | null;
}

const NEW_STYLE = /^(\d{4}\.\d{4,5})(?:v(\d+))?$/;
const OLD_STYLE = /^([a-z][a-z-]*(?:\.[A-Z]{2})?\/\d{7})(?:v(\d+))?$/;

/** Parses an id or an arxiv.org / alphaxiv / huggingface URL; returns null if it is not one. */
export function parseArxivId(input: string): ArxivId | null {
  let text = input.trim();
  if (text.length === 0 || text.length > 300) return null;
  text = text.replace(/^arxiv:/i, "");
  if (/^https?:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return null;
    }
    const path = decodeURIComponent(url.pathname).replace(/\/+$/, "");
    const match = path.match(/^\/(?:abs|pdf|html|papers|paper)\/(.+?)(?:\.pdf)?$/);
    if (!match?.[1]) return null;
    text = match[1];
  }
  const m = NEW_STYLE.exec(text) ?? OLD_STYLE.exec(text);
  if (!m?.[1]) return null;
  return { id: m[1], version: m[2] ? Number(m[2]) : null };
}

/** Links every paper has, derived from its id (and version when known). */
export function arxivLinks(id: string, version?: number | null) {
  const v = version ? `v${version}` : "";
  return {
    abs: `https://arxiv.org/abs/${id}${v}`,
    pdf: `https://arxiv.org/pdf/${id}${v}`,
    html: `https://arxiv.org/html/${id}${v}`,
  };
}
