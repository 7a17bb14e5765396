import { QueryClient } from '@tanstack/react-query';
import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { initials } from '@/lib/format';
import { queryKeys } from '@/lib/query-keys';
import { makeTicket, makeUser } from '@/testing/data';
import { db } from '@/testing/handlers';
import { server } from '@/testing/server';
import { renderWithProviders } from '@/testing/test-utils';
import type { Team, Ticket, UserRecord } from '@/types/models';
import { TicketDetail } from './ticket-detail';

const me = makeUser('agent', { id: 21, name: 'Alex Agent' });
const other: UserRecord = { id: 22, email: 'bo@example.com', name: 'Bo Berg', role: 'agent', is_active: true, available: true };
const outsider: UserRecord = { id: 23, email: 'cy@example.com', name: 'Cy Cole', role: 'agent', is_active: true, available: true };
const TEAMS: Team[] = [
  { id: 1, name: 'Billing', members: [21, 22], categories: ['billing'], assignment: 'round_robin' },
  { id: 2, name: 'Tech', members: [23], categories: ['technical'], assignment: 'off' },
];
const PEOPLE = [{ ...me, is_active: true }, other, outsider];

function signedInClient(): QueryClient {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, gcTime: Infinity } } });
  client.setQueryData(queryKeys.auth.me, me);
  return client;
}

/** The server's answer to a PATCH: ids become `{id, name}` as the real one sends them. */
function serveRouting({ teams = TEAMS, failTeams = false } = {}) {
  server.use(
    http.get('/api/teams/', () =>
      failTeams ? HttpResponse.json({ error: { status: 500, code: 'error', message: 'boom' } }, { status: 500 }) : HttpResponse.json(teams),
    ),
    http.get('/api/users/', ({ request }) => {
      const role = new URL(request.url).searchParams.get('role');
      return HttpResponse.json(PEOPLE.filter((p) => p.role === role));
    }),
    http.patch('/api/tickets/:id/', async ({ request, params }) => {
      const body = (await request.json()) as { team?: number | null; assignee?: number | null };
      db.requests.push({ method: 'PATCH', url: new URL(request.url), headers: request.headers, body });
      const ticket = db.tickets.find((t) => t.id === Number(params.id)) as Ticket;
      const changes: Partial<Ticket> = { needs_triage: false };
      if ('team' in body) {
        const team = teams.find((t) => t.id === body.team);
        Object.assign(changes, { team: team ? { id: team.id, name: team.name } : null });
      }
      if ('assignee' in body) {
        const person = PEOPLE.find((p) => p.id === body.assignee);
        Object.assign(changes, { assignee: person ? { id: person.id, name: person.name } : null });
      }
      Object.assign(ticket, changes);
      return HttpResponse.json(ticket);
    }),
  );
}

describe('TicketAssignment', () => {
  it('assigns to me, offers only the team members, and moves teams', async () => {
    serveRouting();
    db.tickets.push(
      makeTicket({ title: 'Charged twice', team: { id: 1, name: 'Billing' }, assignee: null, needs_triage: false }),
    );
    const { user } = renderWithProviders(<TicketDetail id={1} onClose={() => {}} />, { queryClient: signedInClient() });
    const group = await screen.findByRole('group', { name: 'Assignment' });
    const assignee = await within(group).findByLabelText('Assignee');
    expect(within(group).getByLabelText('Team')).toHaveValue('1');
    expect(assignee).toHaveValue('');
    // Billing's members only: not Cy, who is in Tech.
    expect(within(assignee).getAllByRole('option').map((o) => o.textContent)).toEqual(['Nobody', 'Alex Agent', 'Bo Berg']);

    await user.click(within(group).getByRole('button', { name: 'Assign to me' }));
    await waitFor(() => expect(within(group).getByLabelText('Assignee')).toHaveValue('21'));
    expect(db.requests.find((r) => r.method === 'PATCH')?.body).toEqual({ assignee: 21 });
    expect(within(group).queryByRole('button', { name: 'Assign to me' })).not.toBeInTheDocument();

    await user.selectOptions(within(group).getByLabelText('Team'), '2');
    await waitFor(() => expect(within(group).getByLabelText('Team')).toHaveValue('2'));
    expect(db.requests.filter((r) => r.method === 'PATCH').at(-1)?.body).toEqual({ team: 2 });
  });

  it('marks a ticket triage was unsure of', async () => {
    serveRouting();
    db.tickets.push(makeTicket({ title: 'Unclear', team: null, assignee: null, needs_triage: true }));
    renderWithProviders(<TicketDetail id={1} onClose={() => {}} />, { queryClient: signedInClient() });
    expect(await screen.findByText(/Triage was unsure of this ticket/)).toBeInTheDocument();
    const assignee = await screen.findByLabelText('Assignee');
    // No team: every active agent may have it.
    expect(within(assignee).getAllByRole('option')).toHaveLength(4);
  });

  it('says when teams cannot be loaded', async () => {
    serveRouting({ failTeams: true });
    db.tickets.push(makeTicket({ title: 'Broken', team: null, assignee: null, needs_triage: false }));
    renderWithProviders(<TicketDetail id={1} onClose={() => {}} />, { queryClient: signedInClient() });
    expect(await screen.findByText('Could not load teams and agents.')).toBeInTheDocument();
  });

  it('shows nothing of assignment in open mode (no team key on tickets)', async () => {
    db.tickets.push(makeTicket({ title: 'Open mode' }));
    renderWithProviders(<TicketDetail id={1} onClose={() => {}} />);
    await screen.findByRole('dialog', { name: 'Open mode' });
    expect(screen.queryByRole('group', { name: 'Assignment' })).not.toBeInTheDocument();
  });
});

describe('initials', () => {
  it('takes the first letters of the first two words', () => {
    expect(initials('Ada Lovelace')).toBe('AL');
    expect(initials('  bo ')).toBe('B');
    expect(initials('Jean Paul Sartre')).toBe('JP');
    expect(initials('')).toBe('?');
  });
});
