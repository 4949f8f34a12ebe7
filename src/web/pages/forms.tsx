// Form helpers: the CSRF field every state-changing form of a signed-in page carries.
import { currentViewer } from "../auth.ts";

/** `<input type="hidden" name="_csrf">` with the session's token (nothing when signed out). */
export function CsrfField() {
  const viewer = currentViewer();
  return viewer?.csrf ? <input type="hidden" name="_csrf" value={viewer.csrf} /> : null;
}
