import AxeBuilder from '@axe-core/playwright';
import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';
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

/** The WCAG 2.0 and 2.1 A/AA rules every page is checked against. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * What axe-core finds wrong with the page as it is now, against the WCAG A/AA rules, one line per
 * rule (`id (impact): help — targets`); `[]` when clean. Assert `toEqual([])` so a failure lists
 * every element at fault.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return results.violations.map(
    (v) => `${v.id} (${v.impact ?? 'unknown'}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

/**
 * Moves focus with the Tab key alone until `target` has it (at most `limit` presses), as a
 * keyboard user would reach it; fails if it never does.
 */
export async function tabTo(page: Page, target: Locator, limit = 60): Promise<void> {
  for (let presses = 0; presses < limit; presses += 1) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  await expect(target, `not reached with ${limit} Tab presses`).toBeFocused();
}
