import { expect, type APIRequestContext, type Browser, type Page, request } from '@playwright/test';

/**
 * Accounts mode, shared by the journeys that run against the second server `run.sh` starts
 * (ACCESS_MODE=accounts, with a first admin from ADMIN_EMAIL/ADMIN_PASSWORD).
 */
export const ACCOUNTS_URL = process.env.E2E_ACCOUNTS_URL ?? 'http://127.0.0.1:8766';
export const ADMIN = {
  email: process.env.E2E_ADMIN_EMAIL ?? 'admin@e2e.example',
  password: process.env.E2E_ADMIN_PASSWORD ?? '',
};
export const PASSWORD = 'journey-Passw0rd!';

export type Person = { email: string; name: string; role: 'requester' | 'agent' };

export async function csrfToken(api: APIRequestContext): Promise<string> {
  const { cookies } = await api.storageState();
  return cookies.find((cookie) => cookie.name === 'csrftoken')?.value ?? '';
}

/** An admin's API session (session and CSRF, as the web app does). */
export async function adminApi(): Promise<APIRequestContext> {
  const api = await request.newContext({ baseURL: ACCOUNTS_URL });
  expect((await api.get('/api/auth/config/')).ok()).toBe(true);
  const login = await api.post('/api/auth/login/', { data: ADMIN, headers: { 'X-CSRFToken': await csrfToken(api) } });
  expect(login.status()).toBe(200);
  return api;
}

/** Creates the people (password `PASSWORD`); answers their ids in the same order. */
export async function createPeople(api: APIRequestContext, people: Person[]): Promise<number[]> {
  const ids: number[] = [];
  for (const person of people) {
    const created = await api.post('/api/users/', {
      data: { ...person, password: PASSWORD },
      headers: { 'X-CSRFToken': await csrfToken(api) },
    });
    expect(created.status(), await created.text()).toBe(201);
    ids.push(((await created.json()) as { id: number }).id);
  }
  return ids;
}

/** Signs `person` in through the web app, in a browser context of their own. */
export async function signIn(browser: Browser, person: Person, path = '/'): Promise<Page> {
  const context = await browser.newContext({ baseURL: ACCOUNTS_URL });
  const page = await context.newPage();
  await page.goto(path);
  await page.getByLabel('Email', { exact: true }).fill(person.email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  return page;
}
