import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { makeTicket } from '@/testing/data';
import { db } from '@/testing/handlers';
import { server } from '@/testing/server';
import { renderWithProviders, testLocation } from '@/testing/test-utils';
import { PAGE_SIZE } from '../api/get-tickets';
import { TicketList } from './ticket-list';

function listRequests() {
  return db.requests.filter((r) => r.method === 'GET' && r.url.pathname === '/api/tickets/');
}

function rowTitles() {
  return screen.getAllByTestId('ticket-row').map((row) => within(row).getByRole('heading').textContent);
}

describe('TicketList', () => {
  it('shows tickets newest first with their labels and a total', async () => {
    db.tickets.push(
      makeTicket({ title: 'Older', created_at: '2025-01-01T10:00:00Z', category: 'billing', priority: 'high' }),
      makeTicket({
        title: 'Newer',
        created_at: '2025-01-02T10:00:00Z',
        description: 'x'.repeat(400),
        status: 'in_progress',
      }),
    );
    renderWithProviders(<TicketList />);
    expect(screen.getByText('Loading tickets…')).toBeInTheDocument();
    expect(await screen.findByText('Newer')).toBeInTheDocument();
    expect(rowTitles()).toEqual(['Newer', 'Older']);
    expect(screen.getByTestId('ticket-count')).toHaveTextContent('2 tickets');
    const [newer, older] = screen.getAllByTestId('ticket-row');
    expect(within(newer).getByText(/^x+…$/).textContent?.length).toBeLessThan(200);
    expect(within(newer).getByLabelText('Status')).toHaveValue('in_progress');
    expect(within(older).getByText('Billing')).toBeInTheDocument();
    expect(within(older).getByText('High')).toBeInTheDocument();
    expect(within(older).getByRole('link', { name: 'Older' })).toHaveAttribute('href', '/tickets/1');
    expect(within(older).getByText((_, el) => el?.tagName === 'TIME')).toHaveAttribute(
      'dateTime',
      '2025-01-01T10:00:00Z',
    );
  });

  it('says "about" when the total is the server\'s estimate', async () => {
    db.tickets.push(makeTicket({ title: 'Refund please' }));
    server.use(
      http.get('/api/tickets/', () =>
        HttpResponse.json([makeTicket({ title: 'Refund please' })], {
          headers: { 'X-Total-Count': '48213', 'X-Total-Count-Exact': 'false' },
        }),
      ),
    );
    renderWithProviders(<TicketList />, { route: '/?search=refund' });
    await screen.findByText('Refund please');
    const count = screen.getByTestId('ticket-count');
    expect(count).toHaveTextContent(/^about 48\D?000 matches$/);
    expect(count).toHaveAttribute('title', expect.stringMatching(/Estimated/));
  });

  it('shows an exact total as is, with or without the exactness header', async () => {
    server.use(
      http.get('/api/tickets/', () =>
        HttpResponse.json([makeTicket({ title: 'Counted' })], { headers: { 'X-Total-Count': '1234' } }),
      ),
    );
    renderWithProviders(<TicketList />);
    await screen.findByText('Counted');
    expect(screen.getByTestId('ticket-count')).toHaveTextContent(/^1\D?234 tickets$/);
    expect(screen.getByTestId('ticket-count')).not.toHaveAttribute('title');
  });

  it('shows an empty state', async () => {
    renderWithProviders(<TicketList />);
    expect(await screen.findByText(/No tickets yet/)).toBeInTheDocument();
  });

  it('shows an error state with a retry', async () => {
    server.use(
      http.get('/api/tickets/', () =>
        HttpResponse.json({ error: { status: 500, code: 'server_error', message: 'Oops.' } }, { status: 500 }),
      ),
    );
    const { user } = renderWithProviders(<TicketList />);
    expect(await screen.findByText(/Could not load tickets\. Oops\./)).toBeInTheDocument();
    server.resetHandlers();
    db.tickets.push(makeTicket({ title: 'Back again' }));
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('Back again')).toBeInTheDocument();
  });

  it('filters from the URL and writes filter changes back to it', async () => {
    db.tickets.push(
      makeTicket({ title: 'Card declined', category: 'billing', status: 'open' }),
      makeTicket({ title: 'Cannot log in', category: 'account', status: 'open' }),
      makeTicket({ title: 'Old invoice', category: 'billing', status: 'closed' }),
    );
    const { user } = renderWithProviders(<TicketList />, { route: '/?category=billing' });
    expect(await screen.findByText('Card declined')).toBeInTheDocument();
    expect(rowTitles()).toEqual(['Old invoice', 'Card declined']);
    expect(screen.getByLabelText('Filter by category')).toHaveValue('billing');
    expect(screen.getByTestId('ticket-count')).toHaveTextContent('2 matches');

    await user.selectOptions(screen.getByLabelText('Filter by status'), 'open');
    await waitFor(() => expect(rowTitles()).toEqual(['Card declined']));
    expect(testLocation()).toBe('/?category=billing&status=open');
    const params = listRequests().at(-1)!.url.searchParams;
    expect(params.get('category')).toBe('billing');
    expect(params.get('status')).toBe('open');
    expect(params.get('limit')).toBe(String(PAGE_SIZE));

    await user.selectOptions(screen.getByLabelText('Filter by priority'), 'critical');
    expect(await screen.findByText('No tickets match these filters.')).toBeInTheDocument();
    await user.click(screen.getAllByRole('button', { name: 'Clear filters' })[0]);
    await waitFor(() => expect(rowTitles()).toHaveLength(3));
    expect(testLocation()).toBe('/');
  });

  it('searches after a pause in typing', async () => {
    db.tickets.push(makeTicket({ title: 'Refund request' }), makeTicket({ title: 'Login broken' }));
    const { user } = renderWithProviders(<TicketList />);
    await screen.findByText('Login broken');
    const before = listRequests().length;
    await user.type(screen.getByLabelText('Search'), 'refund');
    await waitFor(() => expect(rowTitles()).toEqual(['Refund request']));
    const searches = listRequests().slice(before).map((r) => r.url.searchParams.get('search'));
    expect(searches).toEqual(['refund']);
    expect(testLocation()).toBe('/?search=refund');
  });

  it('offers "Best match" only with a search term and keeps the choice in the URL', async () => {
    db.tickets.push(
      makeTicket({ title: 'Refund request', created_at: '2025-01-01T10:00:00Z' }),
      makeTicket({ title: 'Card issue', description: 'I want a refund', created_at: '2025-01-02T10:00:00Z' }),
      makeTicket({ title: 'Login broken', created_at: '2025-01-03T10:00:00Z' }),
    );
    const { user } = renderWithProviders(<TicketList />);
    await screen.findByText('Login broken');
    const sort = screen.getByRole('combobox', { name: 'Sort' });
    expect(screen.getByText('Sort')).toBeVisible();
    expect(sort).toBeDisabled();
    expect(sort).toHaveValue('newest');
    expect(sort).toHaveAccessibleDescription('Best match needs a search term.');

    await user.type(screen.getByLabelText('Search'), 'refund');
    await waitFor(() => expect(rowTitles()).toEqual(['Card issue', 'Refund request']));
    expect(sort).toBeEnabled();
    expect(listRequests().at(-1)!.url.searchParams.has('ordering')).toBe(false);

    // Reachable from the search box with the keyboard, like the other filters.
    await user.tab();
    expect(sort).toHaveFocus();
    await user.selectOptions(sort, 'Best match');
    await waitFor(() => expect(rowTitles()).toEqual(['Refund request', 'Card issue']));
    expect(testLocation()).toBe('/?search=refund&ordering=relevance');
    expect(listRequests().at(-1)!.url.searchParams.get('ordering')).toBe('relevance');
    expect(screen.getByRole('list', { name: 'Tickets, best match first' })).toBeInTheDocument();

    await user.selectOptions(sort, 'Newest first');
    await waitFor(() => expect(rowTitles()).toEqual(['Card issue', 'Refund request']));
    expect(testLocation()).toBe('/?search=refund');

    await user.selectOptions(sort, 'Best match');
    await waitFor(() => expect(testLocation()).toBe('/?search=refund&ordering=relevance'));
    // Without a search term there is nothing to rank: the choice leaves with the search.
    await user.clear(screen.getByLabelText('Search'));
    await waitFor(() => expect(testLocation()).toBe('/'));
    await waitFor(() => expect(rowTitles()).toHaveLength(3));
    expect(sort).toBeDisabled();
    expect(sort).toHaveValue('newest');
  });

  it('ignores ordering=relevance in a shared link without a search term', async () => {
    db.tickets.push(makeTicket({ title: 'Only one' }));
    renderWithProviders(<TicketList />, { route: '/?ordering=relevance' });
    await screen.findByText('Only one');
    expect(screen.getByRole('combobox', { name: 'Sort' })).toBeDisabled();
    expect(screen.getByRole('combobox', { name: 'Sort' })).toHaveValue('newest');
    expect(listRequests().at(-1)!.url.searchParams.has('ordering')).toBe(false);
    expect(screen.getByRole('list', { name: 'Tickets, newest first' })).toBeInTheDocument();
  });

  it('sorts by best match from a shared link and clears the choice with the filters', async () => {
    db.tickets.push(
      makeTicket({ title: 'Refund request', created_at: '2025-01-01T10:00:00Z' }),
      makeTicket({ title: 'Card issue', description: 'refund me', created_at: '2025-01-02T10:00:00Z' }),
    );
    const { user } = renderWithProviders(<TicketList />, { route: '/?search=refund&ordering=relevance' });
    await waitFor(() => expect(rowTitles()).toEqual(['Refund request', 'Card issue']));
    expect(screen.getByRole('combobox', { name: 'Sort' })).toHaveValue('relevance');
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(testLocation()).toBe('/'));
    expect(screen.getByRole('combobox', { name: 'Sort' })).toHaveValue('newest');
  });

  it('accepts several values per filter from a shared link', async () => {
    db.tickets.push(
      makeTicket({ title: 'A', status: 'open' }),
      makeTicket({ title: 'B', status: 'in_progress' }),
      makeTicket({ title: 'C', status: 'closed' }),
    );
    renderWithProviders(<TicketList />, { route: '/?status=open,in_progress' });
    await waitFor(() => expect(rowTitles()).toEqual(['B', 'A']));
    expect(listRequests().at(-1)!.url.searchParams.get('status')).toBe('open,in_progress');
  });

  it('loads further pages through the Link header', async () => {
    for (let i = 0; i < PAGE_SIZE + 5; i += 1) db.tickets.push(makeTicket());
    const { user } = renderWithProviders(<TicketList />);
    await waitFor(() => expect(screen.getAllByTestId('ticket-row')).toHaveLength(PAGE_SIZE));
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(screen.getAllByTestId('ticket-row')).toHaveLength(PAGE_SIZE + 5));
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
    expect(listRequests().at(-1)!.url.searchParams.get('cursor')).toBe(String(PAGE_SIZE));
    expect(new Set(rowTitles()).size).toBe(PAGE_SIZE + 5);
  });

  it('changes a status at once and keeps it when the server agrees', async () => {
    db.tickets.push(makeTicket({ title: 'Move me' }));
    const { user } = renderWithProviders(<TicketList />);
    const row = (await screen.findByText('Move me')).closest('li')!;
    await user.selectOptions(within(row).getByLabelText('Status'), 'resolved');
    expect(within(row).getByLabelText('Status')).toHaveValue('resolved');
    await waitFor(() => expect(db.tickets[0].status).toBe('resolved'));
    expect(db.requests.find((r) => r.method === 'PATCH')?.body).toEqual({ status: 'resolved' });
    expect(within(row).getByLabelText('Status')).toHaveValue('resolved');
  });

  it('rolls a status change back when the server refuses it', async () => {
    db.tickets.push(makeTicket({ title: 'Stay open' }));
    server.use(
      http.patch('/api/tickets/:id/', () =>
        HttpResponse.json(
          { error: { status: 409, code: 'conflict', message: 'Locked.' } },
          { status: 409 },
        ),
      ),
    );
    const { user } = renderWithProviders(<TicketList />);
    const row = (await screen.findByText('Stay open')).closest('li')!;
    await user.selectOptions(within(row).getByLabelText('Status'), 'closed');
    expect(await screen.findByText(/Could not move “Stay open” to Closed: Locked\./)).toBeInTheDocument();
    expect(within(row).getByLabelText('Status')).toHaveValue('open');
  });
});
