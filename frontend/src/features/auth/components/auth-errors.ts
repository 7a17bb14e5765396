import { ApiError } from '@/lib/api-client';

/** "30 seconds", "1 minute", "5 minutes": a Retry-After in words, rounded up to whole minutes past one. */
function waitInWords(seconds: number): string {
  if (seconds < 60) {
    const whole = Math.max(1, Math.ceil(seconds));
    return `${whole} ${whole === 1 ? 'second' : 'seconds'}`;
  }
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
}

export type FormProblem<F extends string> = {
  /** What to announce above the form, or null when the field errors say it all. */
  message: string | null;
  fields: Partial<Record<F, string>>;
};

/**
 * How a failed sign-in or sign-up reads: the server's per-field messages next to the fields, the
 * server's own message for refused credentials, and a wait in words when throttled.
 */
export function formProblem<F extends string>(error: unknown, fieldNames: readonly F[]): FormProblem<F> {
  if (!(error instanceof ApiError)) return { message: 'Something went wrong. Try again.', fields: {} };
  if (error.status === 429) {
    const wait = error.retryAfterSeconds;
    return {
      message: `Too many attempts. ${wait ? `Try again in ${waitInWords(wait)}.` : 'Wait a moment, then try again.'}`,
      fields: {},
    };
  }
  const fields: Partial<Record<F, string>> = {};
  for (const name of fieldNames) {
    const messages = error.fields[name];
    if (messages?.length) fields[name] = messages.join(' ');
  }
  const others = Object.entries(error.fields)
    .filter(([name]) => !(fieldNames as readonly string[]).includes(name))
    .flatMap(([, messages]) => messages);
  if (Object.keys(fields).length > 0 && others.length === 0) {
    return { message: 'Please fix the highlighted fields.', fields };
  }
  return { message: others.length ? others.join(' ') : error.message, fields };
}
