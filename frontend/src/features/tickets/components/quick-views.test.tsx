import { QueryClient } from '@tanstack/react-query';
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { queryKeys } from '@/lib/query-keys';
import { makeTicket, makeUser } from '@/testing/data';
import { db, enableAccountsMode } from '@/testing/handlers';
import { renderWithProviders, testLocation } from '@/testing/test-utils';
import { TicketList } from './ticket-list';

const agent = makeUser('agent', { id: 21, name: 'Alex Agent' });

function clientSignedInAs(user: typeof agent | null): QueryClient {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, gcTime: Infinity } } });
  if (user) client.setQueryData(queryKeys.auth.me, user);
  return client;
}

function lastListQuery(): URLSearchParams {
  const lists = db.requests.filter((r) => r.method === 'GET' && r.url.pathname === '/api/tickets/');
  return lists[lists.length - 1].url.searchParams;
}

function rowTitles() {
  return screen.getAllByTestId('ticket-row').map((row) => within(row).getByRole('heading').textContent);
}

function seed() {
  enableAccountsMode({ user: agent });
  db.teams.push(
    { id: 1, name: 'Billing', members: [21, 22], categories: ['billing'], assignment: 'round_robin' },
    { id: 2, name: 'Tech', members: [23], categories: ['technical'], assignment: 'off' },
  );
  db.tickets.push(
    makeTicket({ title: 'Mine', assignee: { id: 21, name: 'Alex Agent' }, team: { id: 1, name: 'Billing' } }),
    makeTicket({ title: 'Nobody’s', assignee: null, team: null, needs_triage: true }),
    makeTicket({ title: 'Bo’s', assignee: { id: 22, name: 'Bo Berg' }, team: { id: 1, name: 'Billing' } }),
  );
}

describe('quick views of the ticket list', () => {
  it('offers My tickets, Unassigned, my teams only and Needs triage, kept in the URL', async () => {
    seed();
    const { user } = renderWithProviders(<TicketList />, { queryClient: clientSignedInAs(agent) });
    const views = await screen.findByRole('group', { name: 'Quick views' });
    expect(await within(views).findByRole('button', { name: 'Billing team' })).toBeInTheDocument();
    // Alex is not in Tech: no view for it.
    expect(within(views).queryByRole('button', { name: 'Tech team' })).not.toBeInTheDocument();
    expect(await screen.findByText('Bo’s')).toBeInTheDocument();

    const mine = within(views).getByRole('button', { name: 'My tickets' });
    expect(mine).toHaveAttribute('aria-pressed', 'false');
    await user.click(mine);
    expect(mine).toHaveAttribute('aria-pressed', 'true');
    expect(testLocation()).toBe('/?assignee=me');
    await waitFor(() => expect(rowTitles()).toEqual(['Mine']));
    expect(lastListQuery().get('assignee')).toBe('me');

    // Unassigned replaces My tickets (one assignee at a time).
    await user.click(within(views).getByRole('button', { name: 'Unassigned' }));
    expect(testLocation()).toBe('/?assignee=none');
    await waitFor(() => expect(rowTitles()).toEqual(['Nobody’s']));
    expect(mine).toHaveAttribute('aria-pressed', 'false');

    // Pressed again: off.
    await user.click(within(views).getByRole('button', { name: 'Unassigned' }));
    expect(testLocation()).toBe('/');

    await user.click(within(views).getByRole('button', { name: 'Billing team' }));
    expect(testLocation()).toBe('/?team=1');
    await waitFor(() => expect(rowTitles()).toHaveLength(2));
    expect(lastListQuery().get('team')).toBe('1');
  });

  it('reads the views from a shared link, combined with the filters, and clears them', async () => {
    seed();
    const { user } = renderWithProviders(<TicketList />, {
      queryClient: clientSignedInAs(agent),
      route: '/?needs_triage=true&assignee=none&status=open',
    });
    await waitFor(() => expect(rowTitles()).toEqual(['Nobody’s']));
    const query = lastListQuery();
    expect(query.get('needs_triage')).toBe('true');
    expect(query.get('assignee')).toBe('none');
    expect(query.get('status')).toBe('open');
    const views = screen.getByRole('group', { name: 'Quick views' });
    expect(within(views).getByRole('button', { name: 'Needs triage' })).toHaveAttribute('aria-pressed', 'true');
    expect(within(views).getByRole('button', { name: 'Unassigned' })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByTestId('ticket-count')).toHaveTextContent('1 match');

    await user.click(screen.getAllByRole('button', { name: 'Clear filters' })[0]);
    expect(testLocation()).toBe('/');
    await waitFor(() => expect(rowTitles()).toHaveLength(3));
  });

  it('names a team view by the whole team name, once, however long it is', async () => {
    const long = 'Enterprise customers in Europe, the Middle East and Africa (second-line escalations)';
    seed();
    db.teams.push(
      { id: 3, name: long, members: [21], categories: [], assignment: 'off' },
      { id: 4, name: 'Payments Team', members: [21], categories: [], assignment: 'off' },
    );
    const { user } = renderWithProviders(<TicketList />, { queryClient: clientSignedInAs(agent) });
    const views = await screen.findByRole('group', { name: 'Quick views' });
    // Cut short on screen by CSS only: the accessible name and the tooltip keep all of it.
    const button = await within(views).findByRole('button', { name: `${long} team` });
    expect(button).toHaveAttribute('title', `${long} team`);
    expect(button.querySelector('.quick-views__name')).toHaveTextContent(long);
    // Not "Payments Team team".
    expect(within(views).getByRole('button', { name: 'Payments Team' })).toBeInTheDocument();
    await user.click(button);
    expect(testLocation()).toBe('/?team=3');
    expect(button).toHaveAttribute('aria-pressed', 'true');
  });

  it('says when no ticket is in a view', async () => {
    seed();
    db.tickets = db.tickets.filter((t) => t.title !== 'Mine');
    renderWithProviders(<TicketList />, { queryClient: clientSignedInAs(agent), route: '/?assignee=me' });
    expect(await screen.findByText('No tickets match these filters.')).toBeInTheDocument();
  });

  it('is not there in open mode (nobody signed in)', async () => {
    db.tickets.push(makeTicket({ title: 'Anything' }));
    renderWithProviders(<TicketList />, { queryClient: clientSignedInAs(null) });
    expect(await screen.findByText('Anything')).toBeInTheDocument();
    expect(screen.queryByRole('group', { name: 'Quick views' })).not.toBeInTheDocument();
    expect(db.requests.some((r) => r.url.pathname === '/api/teams/')).toBe(false);
  });
});
