import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { ACCOUNTS_URL, ADMIN, adminApi, createPeople, csrfToken, type Person, signIn } from './accounts-helpers';
import { axeViolations, snap, tabTo, uniqueToken } from './helpers';

/**
 * The conversation on a ticket, in accounts mode (the second server `run.sh` starts): a requester
 * and an agent, each in a browser of their own, talk on one request. Internal notes never reach
 * the requester; replies arrive live on the other side, without reloading.
 */

/** Live: through the event stream (polling would take 5 s). */
const LIVE = { timeout: 2_500 };

type Team = { id: number; name: string; categories: string[] };

/** The billing team, round robin between `members` (created, or taken over on a retry). */
async function billingTeam(api: APIRequestContext, name: string, members: number[]): Promise<Team> {
  const headers = { 'X-CSRFToken': await csrfToken(api) };
  const data = { name, members, categories: ['billing'], assignment: 'round_robin' };
  const teams = (await (await api.get('/api/teams/')).json()) as Team[];
  const existing = teams.find((team) => team.categories.includes('billing'));
  const response = existing
    ? await api.patch(`/api/teams/${existing.id}/`, { data, headers })
    : await api.post('/api/teams/', { data, headers });
  expect(response.ok(), await response.text()).toBe(true);
  return (await response.json()) as Team;
}

type RoutedTicket = { id: number; team: { id: number; name: string } | null; assignee: { id: number; name: string } | null };

async function send(page: Page, kind: 'Reply' | 'Internal note', text: string): Promise<void> {
  const dialog = page.getByRole('dialog');
  const form = dialog.getByRole('form', { name: 'Write a message' });
  if (await form.getByRole('radio').count()) await form.getByRole('radio', { name: new RegExp(`^${kind}`) }).check();
  await form.getByLabel(kind, { exact: true }).fill(text);
  await form.getByRole('button', { name: kind === 'Reply' ? 'Send reply' : 'Add internal note' }).click();
  await expect(form.getByLabel(kind, { exact: true })).toHaveValue('');
}

test.describe('the conversation on a request', () => {
  test('it lands in the billing team by round robin; notes stay internal, replies arrive live, a requester reply reopens it', async ({ browser }) => {
    // Two people's browsers, a dozen axe scans and keyboard walks: more than the default time.
    test.slow();
    const token = uniqueToken('conv');
    const rita: Person = { email: `rita-${token}@e2e.example`, name: `Rita ${token}`, role: 'requester' };
    const sam: Person = { email: `sam-${token}@e2e.example`, name: `Sam ${token}`, role: 'agent' };
    const tia: Person = { email: `tia-${token}@e2e.example`, name: `Tia ${token}`, role: 'agent' };
    const admin = await adminApi();
    const [, samId, tiaId] = await createPeople(admin, [rita, sam, tia]);
    // A long name: its quick view is cut short on screen, and named in full.
    const team = await billingTeam(admin, `Billing and invoicing for customers on legacy plans ${token}`, [samId, tiaId]);
    const note = `Customer is on the legacy plan ${token}`;
    const reply = `We refunded the second charge ${token}.\nIt shows in 3 days.`;

    // The requester files a request and opens it: the description opens the conversation.
    const ritaPage = await signIn(browser, rita);
    const form = ritaPage.getByRole('form', { name: 'New request' });
    const title = `Charged twice ${token}`;
    await form.getByLabel('Title', { exact: true }).fill(title);
    await form.getByLabel('Description', { exact: true }).fill('My card was charged twice for the March invoice, please refund one.');
    await form.getByRole('button', { name: 'Submit request' }).click();
    const link = ritaPage.getByRole('list', { name: 'My requests, newest first' }).getByRole('link', { name: title });
    await link.click();
    const ritaDialog = ritaPage.getByRole('dialog', { name: title });
    const ritaThread = ritaDialog.getByRole('region', { name: 'Conversation' });
    await expect(ritaThread.getByRole('article', { name: `Request from ${rita.name}` })).toContainText('charged twice');
    await expect(ritaThread.getByText('No replies yet.')).toBeVisible();
    await expect(ritaDialog.getByRole('radio')).toHaveCount(0);
    const ticketId = Number(new URL(ritaPage.url()).pathname.split('/').filter(Boolean).pop());
    expect(ticketId).toBeGreaterThan(0);

    // It lands in the billing team and is assigned by round robin: the next billing request
    // goes to the other member.
    const routed = (await (await admin.get(`/api/tickets/${ticketId}/`)).json()) as RoutedTicket;
    expect(routed.team).toEqual({ id: team.id, name: team.name });
    expect([samId, tiaId]).toContain(routed.assignee?.id);
    const next = await admin.post('/api/tickets/', {
      data: { title: `Invoice twice ${token}`, description: 'Invoice charged twice, refund please.', category: 'billing' },
      headers: { 'X-CSRFToken': await csrfToken(admin) },
    });
    expect(next.status(), await next.text()).toBe(201);
    const second = (await next.json()) as RoutedTicket;
    expect(second.team?.id).toBe(team.id);
    expect(second.assignee?.id).toBe(routed.assignee?.id === samId ? tiaId : samId);
    await admin.dispose();
    // The assignee is the agent who answers.
    const agent = routed.assignee?.id === samId ? sam : tia;

    // The agent finds it through the "My tickets" quick view, which stays in the URL across a
    // reload; the other billing request (the other member's) is not in it.
    const samPage = await signIn(browser, agent);
    const views = samPage.getByRole('group', { name: 'Quick views' });
    await views.getByRole('button', { name: 'My tickets' }).click();
    await expect(samPage).toHaveURL(/[?&]assignee=me(&|$)/);
    const tickets = samPage.getByRole('list', { name: 'Tickets, newest first' });
    await expect(samPage.getByTestId('ticket-count')).toHaveText('1 match');
    await expect(tickets.getByRole('link', { name: title })).toBeVisible();
    await expect(tickets.getByRole('link', { name: `Invoice twice ${token}` })).toHaveCount(0);
    await samPage.reload();
    await expect(views.getByRole('button', { name: 'My tickets' })).toHaveAttribute('aria-pressed', 'true');
    await expect(samPage.getByTestId('ticket-count')).toHaveText('1 match');
    await snap(samPage, '29-agent-uses-my-tickets');
    // The list with its quick views (one pressed, the team's among them) and the assignee's
    // initials on the row.
    const teamView = views.getByRole('button', { name: `${team.name} team` });
    await expect(teamView).toBeVisible();
    await expect(teamView).toHaveAttribute('title', `${team.name} team`);
    await expect(teamView).toContainText(/ team$/);
    expect((await teamView.boundingBox())?.width).toBeLessThanOrEqual(20 * 16);
    await expect(tickets.getByText(`Assigned to ${agent.name}`)).toBeAttached();
    expect(await axeViolations(samPage)).toEqual([]);

    // The agent opens it (the thread, the Reply / Internal note switch, the team and assignee
    // selects) and, with the keyboard alone, switches to an internal note and writes it: tinted
    // and labelled on the agent's side.
    await tickets.getByRole('link', { name: title }).click();
    const samDialog = samPage.getByRole('dialog', { name: title });
    const samThread = samDialog.getByRole('region', { name: 'Conversation' });
    await expect(samThread.getByText('No replies yet.')).toBeVisible();
    await expect(samDialog.getByRole('group', { name: 'Assignment' }).getByLabel('Assignee')).toHaveValue(String(routed.assignee?.id));
    expect(await axeViolations(samPage)).toEqual([]);
    const samForm = samDialog.getByRole('form', { name: 'Write a message' });
    await tabTo(samPage, samForm.getByRole('radio', { name: /^Reply/ }));
    await samPage.keyboard.press('ArrowDown');
    await expect(samForm.getByRole('radio', { name: /^Internal note/ })).toBeChecked();
    await samPage.keyboard.press('Tab');
    await expect(samForm.getByLabel('Internal note', { exact: true })).toBeFocused();
    await samPage.keyboard.type(note);
    await tabTo(samPage, samForm.getByRole('button', { name: 'Add internal note' }));
    await samPage.keyboard.press('Enter');
    await expect(samForm.getByLabel('Internal note', { exact: true })).toHaveValue('');
    const noteItem = samThread.getByRole('article', { name: `Internal note by ${agent.name}` });
    await expect(noteItem).toContainText(note);
    await expect(noteItem.getByText('Internal note', { exact: true })).toBeVisible();
    // The switch in its note state, beside a note in the thread.
    expect(await axeViolations(samPage)).toEqual([]);
    await snap(samPage, '30-agent-writes-an-internal-note');

    // Then a public reply: the requester's open page shows it without reloading, line breaks
    // kept, and never the note.
    await send(samPage, 'Reply', reply);
    const samReply = ritaThread.getByRole('article', { name: `Message from ${agent.name}` });
    await expect(samReply).toContainText(`We refunded the second charge ${token}.`, LIVE);
    expect(await samReply.locator('.message__body').innerText()).toBe(reply);
    await expect(ritaDialog.getByText(note)).toHaveCount(0);
    await expect(ritaDialog.getByText('Internal note')).toHaveCount(0);
    // The requester's thread and reply box; the agent's switch back in its reply state.
    expect(await axeViolations(ritaPage)).toEqual([]);
    await expect(samDialog.getByRole('radio', { name: /^Reply/ })).toBeChecked();
    expect(await axeViolations(samPage)).toEqual([]);
    await snap(ritaPage, '31-requester-sees-the-reply-live');

    // The requester answers; the agent sees it live.
    await send(ritaPage, 'Reply', 'Thank you, I see it now.');
    await expect(samThread.getByRole('article', { name: `Message from ${rita.name}` })).toContainText(
      'Thank you, I see it now.',
      LIVE,
    );

    // The agent resolves it; the requester sees "Resolved" live.
    await samDialog.getByLabel('Status', { exact: true }).selectOption('resolved');
    const ritaStatus = ritaDialog.locator('.detail__status');
    await expect(ritaStatus).toContainText('Resolved', LIVE);

    // A reply from the requester reopens it, on both sides, and the history says why.
    await send(ritaPage, 'Reply', 'Sorry, it was charged a third time.');
    await expect(ritaStatus).toContainText('Open');
    await expect(samDialog.getByLabel('Status', { exact: true })).toHaveValue('open', LIVE);
    await expect(samThread.getByText('Sorry, it was charged a third time.')).toBeVisible(LIVE);
    await expect(samDialog.getByRole('region', { name: 'History' })).toContainText('by the requester’s reply');
    await snap(samPage, '32-a-requester-reply-reopens-it');

    // The other billing request is the other member's: the agent takes it with the keyboard
    // alone ("Assign to me").
    await samPage.goto(`/tickets/${second.id}`);
    const secondDialog = samPage.getByRole('dialog', { name: `Invoice twice ${token}` });
    const assignee = secondDialog.getByLabel('Assignee');
    await expect(assignee).toHaveValue(String(second.assignee?.id));
    await tabTo(samPage, secondDialog.getByRole('button', { name: 'Assign to me' }));
    await samPage.keyboard.press('Enter');
    await expect(assignee).toHaveValue(String(routed.assignee?.id));
    await expect(secondDialog.getByRole('button', { name: 'Assign to me' })).toHaveCount(0);

    // The other quick views: Unassigned, the team's, Needs triage.
    await secondDialog.getByRole('button', { name: 'Close' }).click();
    for (const view of ['Unassigned', `${team.name} team`, 'Needs triage']) {
      await views.getByRole('button', { name: view }).click();
      await expect(views.getByRole('button', { name: view })).toHaveAttribute('aria-pressed', 'true');
      await expect(samPage.getByText('Loading tickets…')).toHaveCount(0);
      expect(await axeViolations(samPage), view).toEqual([]);
      await views.getByRole('button', { name: view }).click();
    }
  });
});

test.describe('teams', () => {
  test('an admin creates a team in the web app and changes its assignment rule', async ({ browser }) => {
    const token = uniqueToken('team');
    const admin = await adminApi();
    const [agentId] = await createPeople(admin, [
      { email: `una-${token}@e2e.example`, name: `Una ${token}`, role: 'agent' },
    ]);
    await admin.dispose();
    expect(agentId).toBeGreaterThan(0);

    const context = await browser.newContext({ baseURL: ACCOUNTS_URL });
    const page = await context.newPage();
    await page.goto('/');
    await page.getByLabel('Email', { exact: true }).fill(ADMIN.email);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Teams' }).click();
    await expect(page).toHaveURL(/\/teams$/);

    // A long name, with a word wider than a phone's screen: it wraps inside its card.
    const name = `Escalations ${'X'.repeat(60)} ${token}`;
    const form = page.getByRole('form', { name: 'New team' });
    await form.getByLabel('Team name').fill(name);
    await form.getByRole('checkbox', { name: `Una ${token}` }).check();
    await form.getByLabel('Assignment rule').selectOption('round_robin');
    await form.getByRole('button', { name: 'Create team' }).click();
    const card = page.getByRole('listitem', { name });
    await expect(card).toContainText(`Una ${token}`);
    await expect(card).toContainText('Round robin');
    await page.setViewportSize({ width: 360, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    await card.getByRole('button', { name: `Edit ${name}` }).click();
    const edit = page.getByRole('form', { name: `Edit ${name}` });
    expect(await axeViolations(page)).toEqual([]);
    await edit.getByLabel('Assignment rule').selectOption('fewest_open');
    await edit.getByRole('button', { name: 'Save team' }).click();
    await expect(page.getByRole('listitem', { name })).toContainText('Fewest open tickets');
    await snap(page, '33-admin-manages-teams');
    await context.close();
  });
});
