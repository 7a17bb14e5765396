import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

/** A word no other test run uses, to find this test's tickets in a shared database. */
export function uniqueToken(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

export async function snap(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export type ApiTicket = { id: number; title: string; status: string; category: string; priority: string };

export async function createTicketViaApi(
  request: APIRequestContext,
  data: { title: string; description: string; category?: string; priority?: string },
): Promise<ApiTicket> {
  const response = await request.post('/api/tickets/', { data });
  expect(response.status()).toBe(201);
  return (await response.json()) as ApiTicket;
}

export async function figure(page: Page, label: string): Promise<number> {
  const text = (await page.getByLabel(label, { exact: true }).textContent()) ?? '';
  return Number(text.replace(/[^\d.]/g, ''));
}

/** Opens the desk and waits until the list and the figures have loaded. */
export async function openDesk(page: Page, path = '/'): Promise<void> {
  await page.goto(path);
  await expect(page.getByLabel('Total tickets', { exact: true })).toHaveText(/\d/);
  await expect(page.getByText('Loading tickets…')).toHaveCount(0);
}
