import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeTicket, makeUser } from '@/testing/data';
import { db, enableAccountsMode } from '@/testing/handlers';
import { renderWithProviders } from '@/testing/test-utils';
import type { Message, TicketEmail } from '@/types/models';
import { RequestDetail } from './request-detail';
import { TicketDetail } from './ticket-detail';

const rita = makeUser('requester');
const alex = makeUser('agent');
const mine = { requester: { id: rita.id, email: rita.email, name: rita.name } };

function email(overrides: Partial<TicketEmail>): TicketEmail & { ticket: number } {
  return {
    id: db.emails.length + 1,
    ticket: 1,
    direction: 'in',
    kind: 'request',
    message: null,
    sender: rita.email,
    recipient: 'support@desk.example',
    subject: 'Printer',
    status: 'received',
    attempts: 0,
    last_error: 'Connection refused',
    created_at: '2025-01-01T12:00:00Z',
    sent_at: null,
    attachments: [],
    raw_url: '/api/mail/emails/1/raw/',
    ...overrides,
  };
}

const reply: Message = {
  id: 1,
  ticket: 1,
  author: { id: alex.id, name: alex.name },
  author_role: 'agent',
  body: 'Please restart it.',
  internal: false,
  via: 'web',
  created_at: '2025-01-01T12:05:00Z',
};

describe('email on the conversation', () => {
  it('marks mail that came by email, links attachments as downloads and the original for agents', async () => {
    enableAccountsMode({ user: alex });
    db.tickets.push(makeTicket({ title: 'Printer', description: 'It smokes.', ...mine }));
    db.emails.push(
      email({
        attachments: [
          { id: 7, filename: 'screen.png', content_type: 'image/png', size: 2048, url: '/api/mail/attachments/7/' },
        ],
      }),
    );
    renderWithProviders(<TicketDetail id={1} onClose={() => {}} />);
    const opening = await screen.findByRole('article', { name: /Request from/ });
    expect(await within(opening).findByText(`Via email from ${rita.email}`)).toBeInTheDocument();
    const file = within(opening).getByRole('link', { name: 'screen.png' });
    expect(file).toHaveAttribute('href', '/api/mail/attachments/7/');
    expect(file).toHaveAttribute('download', 'screen.png');
    expect(within(opening).getByText('(2 KB)')).toBeInTheDocument();
    expect(within(opening).getByRole('link', { name: 'View original' })).toHaveAttribute(
      'href',
      '/api/mail/emails/1/raw/',
    );
    expect(screen.queryByRole('img')).not.toBeInTheDocument(); // never shown inline
  });

  it("says in words when a reply's email could not be delivered", async () => {
    enableAccountsMode({ user: alex });
    db.tickets.push(makeTicket({ title: 'Printer', description: 'It smokes.', ...mine }));
    db.messages.push(reply);
    db.emails.push(
      email({ direction: 'out', kind: 'agent_reply', message: 1, status: 'failed', attempts: 6, recipient: rita.email }),
    );
    renderWithProviders(<TicketDetail id={1} onClose={() => {}} />);
    const item = await screen.findByRole('article', { name: `Message from ${alex.name}` });
    expect(await within(item).findByText(`Email delivery failed to ${rita.email}`)).toBeInTheDocument();
    expect(within(item).getByText('(Connection refused)')).toBeInTheDocument();
  });

  it('shows the requester their attachments but no original', async () => {
    enableAccountsMode({ user: rita });
    db.tickets.push(makeTicket({ title: 'Printer', description: 'It smokes.', ...mine }));
    db.emails.push(
      email({
        attachments: [{ id: 7, filename: 'log.txt', content_type: 'text/plain', size: 10, url: '/api/mail/attachments/7/' }],
      }),
    );
    renderWithProviders(<RequestDetail id={1} onClose={() => {}} />);
    expect(await screen.findByRole('link', { name: 'log.txt' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'View original' })).not.toBeInTheDocument();
  });
});
