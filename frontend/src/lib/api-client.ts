import axios, { AxiosError } from 'axios';
import type { ApiErrorBody } from '@/types/models';

/**
 * The one HTTP client: same-origin API under /api/, JSON in and out. Signed-in calls ride on the
 * session cookie, which the browser sends on same-origin requests (`withCredentials: false` is
 * fetch's `credentials: 'same-origin'`); no cookie goes to another origin.
 */
export const api = axios.create({
  baseURL: '/api',
  headers: { Accept: 'application/json' },
  timeout: 15_000,
  withCredentials: false,
});

const CSRF_COOKIE = 'csrftoken';
const CSRF_HEADER = 'X-CSRFToken';
const SAFE_METHODS = new Set(['get', 'head', 'options', 'trace']);

/** The value of Django's CSRF cookie, or null before the server has set one. */
export function csrfToken(): string | null {
  for (const part of document.cookie.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === CSRF_COOKIE) return decodeURIComponent(value.join('='));
  }
  return null;
}

// Django refuses a session-authenticated write without the CSRF cookie's value in a header. The
// cookie is read on every request because signing in rotates it.
api.interceptors.request.use((config) => {
  const method = (config.method ?? 'get').toLowerCase();
  const token = SAFE_METHODS.has(method) ? null : csrfToken();
  if (token) config.headers.set(CSRF_HEADER, token);
  return config;
});

/**
 * A failed API call, normalised from the server's `{error: {...}}` shape or from a network failure.
 * `status` is 0 when no response arrived (offline, timeout, aborted).
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: Record<string, string[]>;
  readonly retryAfterSeconds: number | null;

  constructor(opts: {
    message: string;
    status: number;
    code: string;
    fields?: Record<string, string[]>;
    retryAfterSeconds?: number | null;
  }) {
    super(opts.message);
    this.name = 'ApiError';
    this.status = opts.status;
    this.code = opts.code;
    this.fields = opts.fields ?? {};
    this.retryAfterSeconds = opts.retryAfterSeconds ?? null;
  }

  get isNetworkError(): boolean {
    return this.status === 0;
  }
}

function isErrorBody(data: unknown): data is ApiErrorBody {
  if (typeof data !== 'object' || data === null || !('error' in data)) return false;
  const error = (data as { error: unknown }).error;
  return typeof error === 'object' && error !== null && 'message' in error;
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof AxiosError) {
    const response = error.response;
    if (!response) {
      const timedOut = error.code === AxiosError.ECONNABORTED || error.code === AxiosError.ETIMEDOUT;
      return new ApiError({
        status: 0,
        code: timedOut ? 'timeout' : 'network_error',
        message: timedOut
          ? 'The server took too long to answer.'
          : 'Could not reach the server. Check your connection and try again.',
      });
    }
    const retryAfter = Number(response.headers?.['retry-after']);
    const retryAfterSeconds = Number.isFinite(retryAfter) ? retryAfter : null;
    if (isErrorBody(response.data)) {
      const body = response.data.error;
      return new ApiError({
        status: response.status,
        code: body.code,
        message: body.message,
        fields: body.fields,
        retryAfterSeconds,
      });
    }
    return new ApiError({
      status: response.status,
      code: 'http_error',
      message: `The server answered with an error (${response.status}).`,
      retryAfterSeconds,
    });
  }
  return new ApiError({
    status: 0,
    code: 'unknown',
    message: error instanceof Error ? error.message : 'Something went wrong.',
  });
}

/** Extracts the rel="next" target from an RFC 8288 Link header, as a same-origin path. */
export function parseNextLink(header: string | undefined | null): string | null {
  if (!header) return null;
  for (const part of header.split(',')) {
    const match = /<([^>]*)>\s*;(.*)/.exec(part.trim());
    if (!match) continue;
    const rels = /rel\s*=\s*"?([^";]+)"?/i.exec(match[2])?.[1]?.split(/\s+/) ?? [];
    if (rels.includes('next')) {
      // The server may build absolute URLs from an internal host name behind a proxy: keep only
      // the path and query so the request stays on this origin.
      const url = new URL(match[1], window.location.origin);
      return `${url.pathname}${url.search}`;
    }
  }
  return null;
}

type UnauthorizedListener = () => void;
const unauthorizedListeners = new Set<UnauthorizedListener>();

/**
 * Calls `listener` whenever the server answers 401 outside `/auth/` (the session ended or was
 * revoked: the app then forgets the user and shows the sign-in page). The sign-in, sign-up,
 * sign-out and "who am I" calls handle their own 401s. Returns the unsubscribe function.
 */
export function onUnauthorized(listener: UnauthorizedListener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

function isAuthCall(url: string | undefined): boolean {
  return /^\/?(api\/)?auth\//.test(url ?? '');
}

api.interceptors.response.use(
  (response) => response,
  (error: unknown) => {
    const apiError = toApiError(error);
    if (apiError.status === 401 && !(error instanceof AxiosError && isAuthCall(error.config?.url))) {
      for (const listener of unauthorizedListeners) listener();
    }
    return Promise.reject(apiError);
  },
);
