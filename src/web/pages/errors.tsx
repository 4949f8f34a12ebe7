// Error pages: not found (with a way on), bad request (says what was wrong), and server error.
import { Layout } from "../layout.tsx";

export function NotFoundPage({ message }: { message?: string }) {
  return (
    <Layout title="Not found">
      <h1>Not found</h1>
      <p>{message ?? "There is no page at this address."}</p>
      <p>
        Try the <a href="/">latest Daily Papers</a> or <a href="/search">search</a>.
      </p>
    </Layout>
  );
}

export function BadRequestPage({ message }: { message: string }) {
  return (
    <Layout title="Bad request">
      <h1>That request could not be understood</h1>
      <p>{message}</p>
      <p>
        <a href="/">Back to Daily Papers</a>
      </p>
    </Layout>
  );
}

export function ServerErrorPage() {
  return (
    <Layout title="Something went wrong">
      <h1>Something went wrong</h1>
      <p>The error has been logged. Please try again in a moment.</p>
    </Layout>
  );
}

export function ForbiddenPage({ message, signIn }: { message: string; signIn?: boolean }) {
  return (
    <Layout title="Not allowed">
      <h1>{signIn ? "Please sign in" : "That is not allowed"}</h1>
      <p>{message}</p>
      {signIn ? (
        <p>
          <a href="/signin">Sign in</a>
        </p>
      ) : null}
    </Layout>
  );
}
