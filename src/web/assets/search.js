// Live search for /search: as the reader types, results come from /api/search (debounced, the
// last word matched as a prefix) and replace the list; the URL follows the query so it can be
// shared. Everything is built with DOM methods and textContent, never innerHTML, so no paper text
// can become markup. Without JavaScript the form simply submits.
(() => {
  const form = document.getElementById("search-form");
  const input = document.getElementById("q");
  const results = document.getElementById("results");
  if (!form || !input || !results) return;
  const DEBOUNCE_MS = 200;
  let timer = 0;
  let inflight = null;
  let lastKey = "";

  const el = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) node.setAttribute(k, v);
    for (const c of children) if (c !== null && c !== undefined) node.append(c);
    return node;
  };

  // Text with its matched spans wrapped in <mark>.
  const marked = (text, spans) => {
    const frag = document.createDocumentFragment();
    let at = 0;
    for (const s of [...(spans || [])].sort((a, b) => a.start - b.start)) {
      if (s.start < at) continue;
      frag.append(text.slice(at, s.start), el("mark", {}, text.slice(s.start, s.end)));
      at = s.end;
    }
    frag.append(text.slice(at));
    return frag;
  };

  const params = () => {
    const data = new FormData(form);
    const p = new URLSearchParams();
    for (const key of ["q", "mode", "category", "from", "to"]) {
      const v = String(data.get(key) || "").trim();
      if (v && !(key === "mode" && v === "hybrid")) p.set(key, v);
    }
    return p;
  };

  const card = (hit) => {
    const paper = hit.paper;
    const h = hit.highlights || {};
    const snip = h.snippet;
    const authors = el("p", { class: "authors" });
    paper.authors.slice(0, 6).forEach((name, i) => {
      if (i > 0) authors.append(", ");
      const a = el("a", { href: `/authors/${encodeURIComponent(name)}` });
      a.append((h.authors || []).includes(i) ? el("mark", {}, name) : name);
      authors.append(a);
    });
    if (paper.authors.length > 6) authors.append(` and ${paper.authors.length - 6} more`);
    const abstract = el("p", { class: "abstract" });
    if (snip) {
      if (snip.cutStart) abstract.append("…");
      abstract.append(marked(snip.text, snip.spans));
      if (snip.cutEnd) abstract.append("…");
    }
    const tags = el("ul", { class: "tags", "aria-label": "Categories" });
    for (const c of paper.categories.slice(0, 4)) {
      tags.append(el("li", {}, el("a", { href: `/c/${encodeURIComponent(c)}` }, c)));
    }
    const meta = el("div", { class: "meta" }, tags, el("span", {}, paper.date || ""));
    meta.append(el("a", { href: `/papers/${paper.arxivId}#discussion` }, `${paper.numComments} comments`));
    if (paper.links.code) {
      const stars = paper.codeStars !== null ? ` ★ ${paper.codeStars}` : "";
      meta.append(el("a", { href: paper.links.code, rel: "noopener nofollow" }, `Code${stars}`));
    }
    const votes = el(
      "div",
      { class: "votes", title: `${paper.upvotes} upvotes` },
      el("span", { "aria-hidden": "true" }, "▲"),
      el("span", { class: "count" }, String(paper.upvotes)),
      el("span", { class: "visually-hidden" }, " upvotes"),
    );
    const title = el(
      "h2",
      { class: "title" },
      el("a", { href: `/papers/${paper.arxivId}` }, marked(paper.title, h.title)),
    );
    return el(
      "li",
      {},
      el("article", { class: "card" }, votes, el("div", { class: "body" }, title, authors, abstract, meta)),
    );
  };

  const render = (data, q) => {
    const count = el("p", { class: "result-count" }, `${data.total} papers for “${q}” · ${data.modeUsed} search`);
    const nodes = [count];
    for (const w of data.warnings || []) nodes.push(el("p", { class: "muted" }, w));
    if (data.hits.length === 0) nodes.push(el("p", {}, "No papers match. Try fewer words, or the semantic mode."));
    else {
      const list = el("ol", { class: "cards" });
      for (const hit of data.hits) list.append(card(hit));
      nodes.push(list);
    }
    results.replaceChildren(...nodes);
  };

  const run = async (typing) => {
    const p = params();
    const q = p.get("q") || "";
    const key = `${p}|${typing}`;
    if (key === lastKey) return;
    lastKey = key;
    const shareable = `/search${p.toString() ? `?${p}` : ""}`;
    history.replaceState(null, "", shareable);
    if (!q) {
      results.replaceChildren();
      return;
    }
    if (inflight) inflight.abort();
    inflight = new AbortController();
    const api = new URLSearchParams(p);
    api.set("limit", "20");
    if (typing) api.set("prefix", "true");
    try {
      const res = await fetch(`/api/search?${api}`, {
        signal: inflight.signal,
        headers: { Accept: "application/json" },
      });
      const data = await res.json();
      if (!res.ok) {
        results.replaceChildren(el("p", { class: "error", role: "alert" }, data.error || "Search failed."));
        return;
      }
      render(data, q);
    } catch (err) {
      if (err.name !== "AbortError") {
        results.replaceChildren(el("p", { class: "error", role: "alert" }, "Search is unavailable right now."));
      }
    }
  };

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => run(true), DEBOUNCE_MS);
  });
  form.addEventListener("change", (e) => {
    if (e.target !== input) run(false);
  });
})();
