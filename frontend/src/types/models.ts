/**
 * The API's types, named once. All of them come from `api.ts`, which `make api-types` generates
 * from the backend's OpenAPI schema, so a change to the contract surfaces here and `tsc` points
 * at every use it breaks. The rest of the app imports these names, not `api.ts`.
 */
import type { components, paths } from './api';
import type { TicketAccountsFields } from './auth';

type Schemas = components['schemas'];

export type Category = Schemas['CategoryEnum'];
export type Priority = Schemas['PriorityEnum'];
export type Status = Schemas['StatusEnum'];

// `& TicketAccountsFields` goes once the generated schema has `requester` (see ./auth.ts).
export type Ticket = Schemas['Ticket'] & TicketAccountsFields;
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

export type ClassifyRequest = Schemas['ClassifyRequestRequest'];
export type Classification = Schemas['ClassifyResponse'];
export type Stats = Schemas['Stats'];
export type TriageStatus = Schemas['TriageStatus'];
/** The one error shape of every 4xx and 5xx answer. */
export type ApiErrorBody = Schemas['Error'];
