/**
 * Hand-written types for the accounts API (issue 11), until the backend's schema has them.
 *
 * TODO(accounts backend): once the accounts backend is merged, run `make api-types`, name each
 * of these in `models.ts` as a `Schemas[...]` line (`Role` → the role enum, `AuthConfig`,
 * `User`, `LoginRequest`, `SignupRequest`, `TicketRequester`), give `Ticket` its generated
 * `requester` field, and delete this file.
 */

/** `ACCESS_MODE` on the server: `open` (no sign-in, everyone acts as an agent) or `accounts`. */
export type AccessMode = 'open' | 'accounts';

/** `GET /api/auth/config/` (public). */
export type AuthConfig = {
  access_mode: AccessMode;
  /** Whether `POST /api/auth/signup/` accepts self sign-up (as a requester). */
  signup: boolean;
};

export type Role = 'requester' | 'agent' | 'admin';

/** The signed-in user: `GET /api/auth/me/`, and the answer of sign-in and sign-up. */
export type User = {
  id: number;
  email: string;
  name: string;
  role: Role;
};

/** `POST /api/auth/login/` */
export type LoginRequest = { email: string; password: string };

/** `POST /api/auth/signup/` */
export type SignupRequest = { email: string; name: string; password: string };

/** Who asked for a ticket; null in open mode and on tickets older than accounts. */
export type TicketRequester = { id: number; email: string; name: string };

/**
 * What accounts add to a ticket. Optional because a server without accounts leaves it out; the
 * generated type will make it required (and nullable).
 */
export type TicketAccountsFields = { requester?: TicketRequester | null };
