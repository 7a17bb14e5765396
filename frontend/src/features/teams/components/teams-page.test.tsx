import { QueryClient } from '@tanstack/react-query';
import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { queryKeys } from '@/lib/query-keys';
import { makeUser } from '@/testing/data';
import { db, enableAccountsMode } from '@/testing/handlers';
import { server } from '@/testing/server';
import { renderWithProviders } from '@/testing/test-utils';
import type { User, UserRecord } from '@/types/models';
import { TeamsPage } from './teams-page';

const admin = makeUser('admin');
const agents: UserRecord[] = [
  { id: 21, email: 'alex@example.com', name: 'Alex Agent', role: 'agent', is_active: true, available: true },
  { id: 22, email: 'bo@example.com', name: 'Bo Berg', role: 'agent', is_active: true, available: false },
];

function signedIn(user: User): QueryClient {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, gcTime: Infinity } } });
  client.setQueryData(queryKeys.auth.me, user);
  return client;
}

function seed() {
  enableAccountsMode({ user: admin });
  db.users.push(...agents);
  db.teams.push({ id: 1, name: 'Billing', members: [21], categories: ['billing'], assignment: 'round_robin' });
}

describe('TeamsPage', () => {
  it('lists the teams with their categories, members and rule', async () => {
    seed();
    renderWithProviders(<TeamsPage />, { queryClient: signedIn(admin) });
    expect(screen.getByText('Loading teams…')).toBeInTheDocument();
    const list = await screen.findByRole('list', { name: 'Teams' });
    const card = within(list).getByRole('listitem', { name: 'Billing' });
    expect(card).toHaveTextContent('Billing');
    expect(card).toHaveTextContent('Alex Agent');
    expect(card).toHaveTextContent('Round robin');
  });

  it('creates a team with categories, members and a rule', async () => {
    seed();
    const { user } = renderWithProviders(<TeamsPage />, { queryClient: signedIn(admin) });
    const form = await screen.findByRole('form', { name: 'New team' });
    await user.type(within(form).getByLabelText('Team name'), 'Tech');
    await user.click(within(form).getByRole('checkbox', { name: 'Technical' }));
    await user.click(within(form).getByRole('checkbox', { name: 'Bo Berg (away)' }));
    await user.selectOptions(within(form).getByLabelText('Assignment rule'), 'fewest_open');
    await user.click(within(form).getByRole('button', { name: 'Create team' }));

    const list = screen.getByRole('list', { name: 'Teams' });
    expect(await within(list).findByRole('listitem', { name: 'Tech' })).toHaveTextContent('Fewest open tickets');
    const post = db.requests.find((r) => r.method === 'POST' && r.url.pathname === '/api/teams/');
    expect(post?.body).toEqual({ name: 'Tech', categories: ['technical'], members: [22], assignment: 'fewest_open' });
    // The form is empty again for the next team.
    expect(within(screen.getByRole('form', { name: 'New team' })).getByLabelText('Team name')).toHaveValue('');
  });

  it('shows the server’s message when a category already has a team', async () => {
    seed();
    const { user } = renderWithProviders(<TeamsPage />, { queryClient: signedIn(admin) });
    const form = await screen.findByRole('form', { name: 'New team' });
    await user.type(within(form).getByLabelText('Team name'), 'Money');
    await user.click(within(form).getByRole('checkbox', { name: 'Billing' }));
    await user.click(within(form).getByRole('button', { name: 'Create team' }));
    expect(
      await within(form).findByText('Each category has one team; handled already: billing (Billing).'),
    ).toBeInTheDocument();
    expect(db.teams).toHaveLength(1);
  });

  it('edits a team: members and rule, with a blank name refused by the server', async () => {
    seed();
    const { user } = renderWithProviders(<TeamsPage />, { queryClient: signedIn(admin) });
    await user.click(await screen.findByRole('button', { name: 'Edit Billing' }));
    const form = screen.getByRole('form', { name: 'Edit Billing' });
    const name = within(form).getByLabelText('Team name');
    await user.clear(name);
    await user.click(within(form).getByRole('button', { name: 'Save team' }));
    expect(await within(form).findByText('This field may not be blank.')).toBeInTheDocument();
    expect(name).toHaveAttribute('aria-invalid', 'true');

    await user.type(name, 'Billing and refunds');
    await user.click(within(form).getByRole('checkbox', { name: 'Bo Berg (away)' }));
    await user.selectOptions(within(form).getByLabelText('Assignment rule'), 'off');
    await user.click(within(form).getByRole('button', { name: 'Save team' }));

    const card = await screen.findByRole('listitem', { name: 'Billing and refunds' });
    expect(card).toHaveTextContent('Alex Agent, Bo Berg');
    expect(card).toHaveTextContent('Off (the team’s queue only)');
    const patches = db.requests.filter((r) => r.method === 'PATCH' && r.url.pathname === '/api/teams/1/');
    expect(patches[patches.length - 1].body).toEqual({
      name: 'Billing and refunds',
      categories: ['billing'],
      members: [21, 22],
      assignment: 'off',
    });
  });

  it('says when there are no teams yet, and when they could not be loaded', async () => {
    enableAccountsMode({ user: admin });
    const { unmount } = renderWithProviders(<TeamsPage />, { queryClient: signedIn(admin) });
    expect(await screen.findByText('No teams yet. Create the first one below.')).toBeInTheDocument();
    unmount();

    server.use(
      http.get('/api/teams/', () =>
        HttpResponse.json({ error: { status: 500, code: 'error', message: 'Boom.' } }, { status: 500 }),
      ),
    );
    renderWithProviders(<TeamsPage />, { queryClient: signedIn(admin) });
    expect(await screen.findByText(/Could not load teams and agents\. Boom\./)).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('button', { name: /try again|retry/i })).toBeInTheDocument());
  });

  it('is for admins only', async () => {
    renderWithProviders(<TeamsPage />, { queryClient: signedIn(makeUser('agent')) });
    expect(screen.getByText('Only admins manage teams.')).toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'New team' })).not.toBeInTheDocument();
    expect(db.requests.some((r) => r.url.pathname === '/api/teams/')).toBe(false);
  });
});
