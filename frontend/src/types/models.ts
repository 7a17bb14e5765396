/**
 * The API's types, named once. All of them come from `api.ts`, which `make api-types` generates
 * from the backend's OpenAPI schema, so a change to the contract surfaces here and `tsc` points
 * at every use it breaks. The rest of the app imports these names, not `api.ts`.
 */
import type { components, paths } from './api';

type Schemas = components['schemas'];

export type Category = Schemas['CategoryEnum'];
export type Priority = Schemas['PriorityEnum'];
export type Status = Schemas['StatusEnum'];

/** `requester` is left out in open mode (the seed's contract), and null on older tickets. */
export type Ticket = Schemas['Ticket'];
/** `POST /api/tickets/`; a label left out is chosen by the server's triage. */
export type TicketCreate = Schemas['TicketCreateRequest'];
/** `PATCH /api/tickets/<id>/` */
export type TicketUpdate = Schemas['PatchedTicketUpdateRequest'];
export type TicketHistoryEntry = Schemas['HistoryEntry'];
/** The ticket fields a history entry can name. */
export type TicketField = Schemas['FieldEnum'];
/** `?ordering=` of the ticket list, without '' (the same as the default, newest first). */
export type TicketOrdering = Exclude<
  NonNullable<paths['/api/tickets/']['get']['parameters']['query']>['ordering'],
  '' | undefined
>;

/** One message of a ticket's conversation: a public reply or (agents only) an internal note. */
export type Message = Schemas['Message'];
export type TicketEmail = Schemas['Email'];
export type EmailAttachment = Schemas['Attachment'];
/** `POST /api/tickets/<id>/messages/` */
export type MessageCreate = Schemas['MessageCreateRequest'];

export type ClassifyRequest = Schemas['ClassifyRequestRequest'];
export type Classification = Schemas['ClassifyResponse'];
export type Stats = Schemas['Stats'];
export type TriageStatus = Schemas['TriageStatus'];
/** The one error shape of every 4xx and 5xx answer. */
export type ApiErrorBody = Schemas['Error'];

/** `ACCESS_MODE` on the server: `open` (no sign-in, everyone acts as an agent) or `accounts`. */
export type AccessMode = Schemas['AccessModeEnum'];
/** `GET /api/auth/config/` (public). */
export type AuthConfig = Schemas['AuthConfig'];
export type Role = Schemas['RoleEnum'];
/** The signed-in user: `GET /api/auth/me/`, and the answer of sign-in and sign-up. */
export type User = Schemas['Me'];
/** `POST /api/auth/login/` */
export type LoginRequest = Schemas['LoginRequest'];
/** `POST /api/auth/signup/` */
export type SignupRequest = Schemas['SignupRequest'];
export type PasswordResetRequest = Schemas['PasswordResetRequest'];
export type PasswordResetSent = Schemas['PasswordResetSent'];
export type PasswordResetConfirmRequest = Schemas['PasswordResetConfirmRequest'];
/** Who asked for a ticket. */
export type TicketRequester = Schemas['UserRef'];

/** A team: members are agent ids; each category has at most one team. */
export type Team = Schemas['Team'];
/** `POST /api/teams/`; `PATCH /api/teams/<id>/` takes any part of it. */
export type TeamWrite = Schemas['TeamWriteRequest'];
export type Assignment = Schemas['AssignmentEnum'];
/** A user as `GET /api/users/` lists them (agents and admins). */
export type UserRecord = Schemas['User'];
