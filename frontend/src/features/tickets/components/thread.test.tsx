import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { makeTicket, makeUser } from '@/testing/data';
import { db, enableAccountsMode } from '@/testing/handlers';
import { server } from '@/testing/server';
import { renderWithProviders } from '@/testing/test-utils';
import type { Message } from '@/types/models';
import { RequestDetail } from './request-detail';
import { TicketDetail } from './ticket-detail';

const rita = makeUser('requester');
const alex = makeUser('agent');
const mine = { requester: { id: rita.id, email: rita.email, name: rita.name } };

function message(overrides: Partial<Message>): Message {
  return {
    id: db.messages.length + 1,
    ticket: 1,
    author: { id: alex.id, name: alex.name },
    author_role: 'agent',
    body: 'Hello',
    internal: false,
    via: 'web',
    created_at: '2025-01-01T12:05:00Z',
    ...overrides,
  };
}

function posts() {
  return db.requests.filter((r) => r.method === 'POST' && r.url.pathname.endsWith('/messages/')).map((r) => r.body);
}

describe('the conversation, agent side', () => {
  it('shows the description as the opening message, then the thread as text, notes marked', async () => {
    enableAccountsMode({ user: alex });
    db.tickets.push(makeTicket({ title: 'Printer', description: 'It smokes.\nA lot.', ...mine }));
    db.messages.push(
      message({ body: '<b>not bold</b>\nsecond line', author: { id: rita.id, name: rita.name }, author_role: 'requester' }),
      message({ body: 'Legacy plan customer.', internal: true }),
    );
    renderWithProviders(<TicketDetail id={1} onClose={() => {}} />);
    const thread = await screen.findByRole('region', { name: 'Conversation' });
    await within(thread).findByText(/not bold/);
    const items = within(thread).getAllByRole('article');
    expect(items).toHaveLength(3);
    expect(items[0]).toHaveAccessibleName('Request from Rita Requester');
    expect(items[0]).toHaveTextContent('It smokes. A lot.');
    // Markup stays text: no <b> element is created, the characters are shown as written.
    const body = within(items[1]).getByText(/not bold/);
    expect(body.textContent).toBe('<b>not bold</b>\nsecond line');
    expect(items[1].querySelector('b')).toBeNull();
    expect(items[2]).toHaveAccessibleName('Internal note by Alex Agent');
    expect(within(items[2]).getByText('Internal note')).toBeInTheDocument();
    expect(items[2]).toHaveClass('message--internal');
  });

  it('switches between a reply and an internal note, and sends each', async () => {
    enableAccountsMode({ user: alex });
    db.tickets.push(makeTicket({ title: 'Printer', ...mine }));
    const { user } = renderWithProviders(<TicketDetail id={1} onClose={() => {}} />);
    await screen.findByText('No replies yet.');

    await user.click(screen.getByRole('radio', { name: /Internal note/ }));
    const note = screen.getByLabelText('Internal note');
    expect(note.closest('form')).toHaveClass('reply--note');
    await user.type(note, 'Checking billing.');
    await user.click(screen.getByRole('button', { name: 'Add internal note' }));
    expect(await screen.findByRole('article', { name: 'Internal note by Alex Agent' })).toBeInTheDocument();

    await user.click(screen.getByRole('radio', { name: /Reply/ }));
    await user.type(screen.getByLabelText('Reply'), 'On it.{Enter}Will call.');
    await user.click(screen.getByRole('button', { name: 'Send reply' }));
    expect(await screen.findByRole('article', { name: 'Message from Alex Agent' })).toBeInTheDocument();
    expect(posts()).toEqual([
      { body: 'Checking billing.', internal: true },
      { body: 'On it.\nWill call.', internal: false },
    ]);
    expect(screen.getByLabelText('Reply')).toHaveValue('');
  });

  it('refuses a blank message without calling the server', async () => {
    enableAccountsMode({ user: alex });
    db.tickets.push(makeTicket({ title: 'Printer', ...mine }));
    const { user } = renderWithProviders(<TicketDetail id={1} onClose={() => {}} />);
    await screen.findByText('No replies yet.');
    await user.type(screen.getByLabelText('Reply'), '   ');
    await user.click(screen.getByRole('button', { name: 'Send reply' }));
    expect(await screen.findByText('Write something first.')).toBeInTheDocument();
    expect(screen.getByLabelText('Reply')).toHaveAttribute('aria-invalid', 'true');
    expect(posts()).toEqual([]);
  });

  it('says when the conversation cannot be loaded, and retries', async () => {
    enableAccountsMode({ user: alex });
    db.tickets.push(makeTicket({ title: 'Printer', ...mine }));
    let fail = true;
    server.use(
      http.get('/api/tickets/:id/messages/', () =>
        fail
          ? HttpResponse.json({ error: { status: 503, code: 'unavailable', message: 'Try later.' } }, { status: 503 })
          : HttpResponse.json([message({ body: 'Back again' })]),
      ),
    );
    const { user } = renderWithProviders(<TicketDetail id={1} onClose={() => {}} />);
    const alert = await screen.findByText(/Could not load the conversation/);
    fail = false;
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('Back again')).toBeInTheDocument();
  });

  it('shows a loading state first', async () => {
    enableAccountsMode({ user: alex });
    db.tickets.push(makeTicket({ title: 'Printer', ...mine }));
    renderWithProviders(<TicketDetail id={1} onClose={() => {}} />);
    expect(await screen.findByText('Loading the conversation…')).toBeInTheDocument();
    await screen.findByText('No replies yet.');
  });

  it('takes no message on a closed ticket', async () => {
    enableAccountsMode({ user: alex });
    db.tickets.push(makeTicket({ title: 'Printer', status: 'closed', ...mine }));
    renderWithProviders(<TicketDetail id={1} onClose={() => {}} />);
    expect(await screen.findByText(/This ticket is closed and takes no more messages/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Send reply' })).not.toBeInTheDocument();
  });
});

describe('the conversation, requester side', () => {
  it('shows the public thread and a reply box with no internal switch', async () => {
    enableAccountsMode({ user: rita });
    db.tickets.push(makeTicket({ title: 'My printer', ...mine }));
    db.messages.push(message({ body: 'Secret', internal: true }), message({ body: 'We are on it.' }));
    const { user } = renderWithProviders(<RequestDetail id={1} onClose={() => {}} />);
    expect(await screen.findByText('We are on it.')).toBeInTheDocument();
    expect(screen.queryByText('Secret')).not.toBeInTheDocument();
    expect(screen.queryByRole('radio')).not.toBeInTheDocument();
    expect(screen.queryByText('Internal note')).not.toBeInTheDocument();

    await user.type(screen.getByLabelText('Reply'), 'Thanks!');
    await user.click(screen.getByRole('button', { name: 'Send reply' }));
    expect(await screen.findByText('Thanks!')).toBeInTheDocument();
    expect(posts()).toEqual([{ body: 'Thanks!', internal: false }]);
  });

  it('reopens a resolved request by replying', async () => {
    enableAccountsMode({ user: rita });
    db.tickets.push(makeTicket({ title: 'My printer', status: 'resolved', ...mine }));
    const { user } = renderWithProviders(<RequestDetail id={1} onClose={() => {}} />);
    const dialog = await screen.findByRole('dialog', { name: 'My printer' });
    expect(within(dialog).getByText('Resolved')).toBeInTheDocument();
    await user.type(within(dialog).getByLabelText('Reply'), 'It broke again.');
    await user.click(within(dialog).getByRole('button', { name: 'Send reply' }));
    await waitFor(() => expect(within(dialog).getByText('Open')).toBeInTheDocument());
  });

  it('shows the server’s 409 when the request was closed meanwhile, then says what to do', async () => {
    enableAccountsMode({ user: rita });
    db.tickets.push(makeTicket({ title: 'My printer', status: 'resolved', ...mine }));
    server.use(
      http.get('/api/tickets/:id/', () => HttpResponse.json(db.tickets[0])),
      http.post('/api/tickets/:id/messages/', () =>
        HttpResponse.json(
          { error: { status: 409, code: 'ticket_closed', message: 'This request is closed. Please open a new request.' } },
          { status: 409 },
        ),
      ),
    );
    const { user } = renderWithProviders(<RequestDetail id={1} onClose={() => {}} />);
    await screen.findByText('No replies yet.');
    await user.type(screen.getByLabelText('Reply'), 'Hello?');
    Object.assign(db.tickets[0], { status: 'closed' });
    await user.click(screen.getByRole('button', { name: 'Send reply' }));
    // The ticket is refetched after the refusal: closed now, the page says what to do instead.
    expect(await screen.findByText(/To ask something else, please open a new request/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Send reply' })).not.toBeInTheDocument();
  });
});
