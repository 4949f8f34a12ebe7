// Upvote buttons without a page reload: a submitted vote form (form.votes[data-vote-api]) is sent
// to the JSON API instead (POST /api/papers/ID/vote with {"on": ...} and the form's CSRF token in
// X-CSRF-Token), and the button's state, label and count are updated from the answer. When the
// request fails (signed out, suspended, too many votes, network), the form is submitted normally,
// so the server's page explains what happened. Loaded once per page by the first vote button.
(() => {
  if (window.paperboyVotes) return;
  window.paperboyVotes = true;

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches("form.votes[data-vote-api]")) return;
    event.preventDefault();
    if (form.dataset.busy) return;
    const button = form.querySelector("button.vote");
    const onField = form.querySelector('input[name="on"]');
    const csrf = form.querySelector('input[name="_csrf"]');
    const count = form.querySelector(".count");
    if (!button || !onField || !csrf || !count) return form.submit();
    // Not disabled while busy: a disabled button would lose keyboard focus.
    form.dataset.busy = "1";
    try {
      const res = await fetch(form.dataset.voteApi, {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json", "x-csrf-token": csrf.value },
        body: JSON.stringify({ on: onField.value === "1" }),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const { upvotes, voted } = await res.json();
      const title = form.dataset.title || "";
      button.setAttribute("aria-pressed", voted ? "true" : "false");
      button.setAttribute("aria-label", voted ? `Remove upvote from ${title}` : `Upvote ${title}`);
      onField.value = voted ? "0" : "1";
      count.textContent = Number(upvotes).toLocaleString("en");
      form.title = `${upvotes} upvotes`;
    } catch {
      form.submit();
    } finally {
      delete form.dataset.busy;
    }
  });
})();
