// Pages for submitting papers to Daily Papers: the submit form (arXiv id or URL, and the day, with
// the rules in force and any refusal said plainly next to the field it concerns) and the admin's
// page for the submission rules.
import type { SubmissionRules } from "../../community/submissions.ts";
import { SUBMISSION_RULE_BOUNDS } from "../../community/submissions.ts";
import { Layout } from "../layout.tsx";
import { CsrfField } from "../pages/forms.tsx";

export interface SubmitForm {
  id: string;
  day: string;
}

export function SubmitPage({
  form,
  rules,
  today,
  earliest,
  error,
  suspended,
}: {
  form: SubmitForm;
  rules: SubmissionRules;
  today: string;
  earliest: string;
  /** A refusal: its reason code and message. */
  error?: { reason: string; message: string };
  /** The viewer's suspension message, when suspended. */
  suspended?: string;
}) {
  const dayError = error?.reason === "invalid-day";
  const idError = error && !dayError;
  return (
    <Layout title="Submit a paper">
      <h1>Submit a paper to Daily Papers</h1>
      <p class="lede">
        Found a paper others should read? Paste its arXiv id or link. Papers up to {rules.maxAgeDays} days old can be
        submitted, {rules.perUserPerDay} per person per day.
      </p>
      {suspended ? (
        <p class="error" role="alert">
          {suspended}
        </p>
      ) : null}
      {error ? (
        <p class="error" role="alert" id="submit-error" data-reason={error.reason}>
          {error.message}
        </p>
      ) : null}
      <form method="post" action="/submit" class="stack">
        <CsrfField />
        <label for="submit-id">arXiv id or URL</label>
        <input
          id="submit-id"
          name="id"
          required
          maxlength={300}
          value={form.id}
          placeholder="2406.01234 or https://arxiv.org/abs/2406.01234"
          aria-invalid={idError ? "true" : undefined}
          aria-describedby={idError ? "submit-error" : undefined}
          autocomplete="off"
        />
        <label for="submit-day">Day</label>
        <input
          id="submit-day"
          name="day"
          type="date"
          value={form.day || today}
          min={earliest}
          max={today}
          aria-invalid={dayError ? "true" : undefined}
          aria-describedby={dayError ? "submit-error" : "submit-day-help"}
        />
        <p class="muted" id="submit-day-help">
          Today ({today}, UTC) unless you pick an earlier day.
        </p>
        <button type="submit">Submit</button>
      </form>
    </Layout>
  );
}

export function SubmissionRulesPage({
  rules,
  error,
  notice,
  values,
}: {
  rules: SubmissionRules;
  error?: { field: string; message: string };
  notice?: string;
  /** What was typed, shown again after an error. */
  values?: Record<string, string>;
}) {
  const field = (name: keyof SubmissionRules) => {
    const b = SUBMISSION_RULE_BOUNDS[name];
    const bad = error?.field === name;
    return (
      <>
        <label for={`rule-${name}`}>{b.label}</label>
        <input
          id={`rule-${name}`}
          name={name}
          type="number"
          inputmode="numeric"
          required
          min={b.min}
          max={b.max}
          step={1}
          value={values?.[name] ?? String(rules[name])}
          aria-invalid={bad ? "true" : undefined}
          aria-describedby={bad ? "rules-error" : undefined}
        />
      </>
    );
  };
  return (
    <Layout title="Submission rules">
      <h1>Submission rules</h1>
      <p class="lede">What readers may submit to Daily Papers on this instance.</p>
      {notice ? <p role="status">{notice}</p> : null}
      {error ? (
        <p class="error" role="alert" id="rules-error">
          {error.message}
        </p>
      ) : null}
      <form method="post" action="/admin/submission-rules" class="stack">
        <CsrfField />
        {field("maxAgeDays")}
        {field("perUserPerDay")}
        <button type="submit">Save rules</button>
      </form>
    </Layout>
  );
}
