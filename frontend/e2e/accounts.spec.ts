import { expect, test, type Page } from '@playwright/test';
import { ACCOUNTS_URL, adminApi, createPeople, type Person, signIn } from './accounts-helpers';
import { axeViolations, snap, uniqueToken } from './helpers';

/**
 * Accounts mode, against the second server `run.sh` starts (ACCESS_MODE=accounts, with a first
 * admin from ADMIN_EMAIL/ADMIN_PASSWORD). The admin creates the people over the API; each person
 * then signs in through the web app in a browser context of their own.
 */

/** A change made elsewhere reaches an open page through the live stream (polling takes 5 s). */
const LIVE = { timeout: 2_000 };

async function fileRequest(page: Page, title: string): Promise<number> {
  const form = page.getByRole('form', { name: 'New request' });
  await form.getByLabel('Title', { exact: true }).fill(title);
  await form.getByLabel('Description', { exact: true }).fill('The export to CSV stops halfway and the file is empty.');
  await form.getByRole('button', { name: 'Submit request' }).click();
  const link = page.getByRole('list', { name: 'My requests, newest first' }).getByRole('link', { name: title });
  await expect(link).toBeVisible();
  const href = (await link.getAttribute('href')) ?? '';
  return Number(href.split('/').filter(Boolean).pop());
}

test.describe('accounts mode', () => {
  test('requesters see only their own requests; an agent moves one and its requester sees it live', async ({
    browser,
  }) => {
    const token = uniqueToken('acct');
    const alice: Person = { email: `alice-${token}@e2e.example`, name: `Alice ${token}`, role: 'requester' };
    const bob: Person = { email: `bob-${token}@e2e.example`, name: `Bob ${token}`, role: 'requester' };
    const agent: Person = { email: `agent-${token}@e2e.example`, name: `Agent ${token}`, role: 'agent' };
    const admin = await adminApi();
    try {
      await createPeople(admin, [alice, bob, agent]);
    } finally {
      await admin.dispose();
    }

    // Requester A files a request and sees it, with no label pickers and no dashboard.
    const alicePage = await signIn(browser, alice);
    await expect(alicePage.getByLabel('Category', { exact: true })).toHaveCount(0);
    await expect(alicePage.getByLabel('Total tickets', { exact: true })).toHaveCount(0);
    const aliceTicket = await fileRequest(alicePage, `Export broken ${token}`);
    await snap(alicePage, '20-requester-files-a-request');

    // Requester B files one too, and typing A's URL gets "not found".
    const bobPage = await signIn(browser, bob);
    await fileRequest(bobPage, `Invoice question ${token}`);
    await expect(bobPage.getByRole('link', { name: `Export broken ${token}` })).toHaveCount(0);
    await bobPage.goto(`/tickets/${aliceTicket}`);
    await expect(bobPage.getByRole('dialog', { name: 'Ticket not found' })).toBeVisible();
    await snap(bobPage, '21-another-requester-gets-not-found');

    // The agent sees both, with who asked, and moves A's to in progress.
    const agentPage = await signIn(browser, agent, `/?search=${token}`);
    const aliceRow = agentPage.getByRole('listitem').filter({ hasText: `Export broken ${token}` });
    await expect(aliceRow).toContainText(`from ${alice.name}`);
    await expect(agentPage.getByRole('listitem').filter({ hasText: `Invoice question ${token}` })).toBeVisible();
    await aliceRow.getByLabel('Status', { exact: true }).selectOption('in_progress');
    await snap(agentPage, '22-agent-moves-a-request');

    // A's page, open all along, shows the new status without a reload.
    const aliceRequest = alicePage
      .getByRole('listitem')
      .filter({ has: alicePage.getByRole('link', { name: `Export broken ${token}` }) });
    await expect(aliceRequest).toContainText('In progress', LIVE);
    await snap(alicePage, '23-requester-sees-the-change-live');
  });

  test('the sign-in and password reset pages are axe clean, in every state', async ({ browser }) => {
    const context = await browser.newContext({ baseURL: ACCOUNTS_URL });
    const page = await context.newPage();
    const clean = async (state: string) => expect(await axeViolations(page), state).toEqual([]);

    await page.goto('/');
    const signInForm = page.getByRole('form', { name: 'Sign in' });
    await expect(signInForm).toBeVisible();
    await clean('sign in');
    await signInForm.getByRole('button', { name: 'Sign in' }).click();
    await expect(signInForm.getByText('Enter your email address.')).toBeVisible();
    await clean('sign in, fields left empty');

    await page.getByRole('button', { name: 'Forgot your password?' }).click();
    const forgot = page.getByRole('form', { name: 'Reset your password' });
    await expect(forgot).toBeVisible();
    await clean('asking for a reset link');
    await forgot.getByLabel('Email', { exact: true }).fill(`nobody-${uniqueToken('pw')}@e2e.example`);
    await forgot.getByRole('button', { name: 'Send the link' }).click();
    await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();
    await clean('reset link sent');

    await page.goto('/reset-password?uid=MQ&token=not-a-real-token');
    const reset = page.getByRole('form', { name: 'Choose a new password' });
    await expect(reset).toBeVisible();
    await clean('choosing a new password');
    await reset.getByLabel('New password', { exact: true }).fill('a-new-Passw0rd!');
    await reset.getByRole('button', { name: 'Set password' }).click();
    await expect(reset.getByRole('alert')).not.toBeEmpty();
    await clean('an expired or wrong reset link');
    await snap(page, '24-password-reset-with-a-wrong-link');
    await context.close();
  });
});
