import { ApiError } from '@/lib/api-client';

/** The title's limit, as the server's. */
export const TITLE_MAX = 200;

type RequestField = 'title' | 'description';
export type RequestFieldErrors = Partial<Record<RequestField, string>>;

/** What is wrong with a title and description before sending them, if anything. */
export function requestDraftErrors(title: string, description: string): RequestFieldErrors {
  const errors: RequestFieldErrors = {};
  if (!title.trim()) errors.title = 'Give the request a title.';
  else if (title.length > TITLE_MAX) errors.title = `Keep the title within ${TITLE_MAX} characters.`;
  if (!description.trim()) errors.description = 'Describe what you need.';
  return errors;
}

/** The server's messages for the title and description, from a refused write. */
export function requestFieldErrors(error: unknown): RequestFieldErrors {
  const errors: RequestFieldErrors = {};
  if (!(error instanceof ApiError)) return errors;
  for (const name of ['title', 'description'] as const) {
    const messages = error.fields[name];
    if (messages?.length) errors[name] = messages.join(' ');
  }
  return errors;
}
