/** Raised for errors a user can fix (no Java, no jar, unknown model …); the message is one line. */
export class UserError extends Error {
  override name = "UserError";
}
