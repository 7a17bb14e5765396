import { afterEach, describe, expect, it, vi } from 'vitest';
import { db } from '@/testing/handlers';
import { api, csrfToken, onUnauthorized } from './api-client';

function setCookie(value: string) {
  document.cookie = value;
}

afterEach(() => {
  setCookie('csrftoken=; expires=Thu, 01 Jan 1970 00:00:00 GMT');
});

describe('the HTTP client and Django CSRF', () => {
  it('sends the csrftoken cookie as X-CSRFToken on unsafe requests only', async () => {
    setCookie('csrftoken=tok%2Ben123');
    expect(csrfToken()).toBe('tok+en123');

    await api.post('/tickets/', { title: 'A', description: 'B' });
    await api.patch('/tickets/1/', { status: 'closed' });
    await api.get('/tickets/');

    const [post, patch, get] = db.requests;
    expect(post.method).toBe('POST');
    expect(post.headers.get('X-CSRFToken')).toBe('tok+en123');
    expect(patch.method).toBe('PATCH');
    expect(patch.headers.get('X-CSRFToken')).toBe('tok+en123');
    expect(get.method).toBe('GET');
    expect(get.headers.get('X-CSRFToken')).toBeNull();
  });

  it('reads the cookie per request, as signing in rotates it', async () => {
    setCookie('csrftoken=before');
    await api.post('/auth/logout/');
    setCookie('csrftoken=after');
    await api.post('/auth/logout/');
    expect(db.requests.map((r) => r.headers.get('X-CSRFToken'))).toEqual(['before', 'after']);
  });

  it('sends no CSRF header before the server has set the cookie', async () => {
    await api.post('/auth/logout/');
    expect(csrfToken()).toBeNull();
    expect(db.requests[0].headers.has('X-CSRFToken')).toBe(false);
  });
});

describe('onUnauthorized', () => {
  it('is told of a 401 from the API, but not of the auth calls’ own answers', async () => {
    const listener = vi.fn();
    const stop = onUnauthorized(listener);
    db.auth.config = { access_mode: 'accounts', signup: false };

    await expect(api.get('/auth/me/')).rejects.toMatchObject({ status: 401 });
    await expect(api.post('/auth/login/', { email: 'a@example.com', password: 'x' })).rejects.toMatchObject({
      status: 400,
      code: 'invalid_credentials',
    });
    expect(listener).not.toHaveBeenCalled();

    await expect(api.get('/tickets/')).rejects.toMatchObject({ status: 401 });
    expect(listener).toHaveBeenCalledTimes(1);

    stop();
    await expect(api.get('/tickets/')).rejects.toMatchObject({ status: 401 });
    expect(listener).toHaveBeenCalledTimes(1);
  });
});
