import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTicket, makeUser } from '@/testing/data';
import { db, enableAccountsMode } from '@/testing/handlers';
import { renderWithProviders, testLocation } from '@/testing/test-utils';
import type { User } from '@/types/models';
import { AccessGate } from './access-gate';

const requester = makeUser('requester');
const otherRequester = makeUser('requester', { id: 12, name: 'Omar Other', email: 'omar@example.com' });
const agent = makeUser('agent');
const admin = makeUser('admin');

const asRequester = (who: User) => ({ id: who.id, email: who.email, name: who.name });

afterEach(() => window.localStorage.clear());

describe('open mode', () => {
  it('shows the desk with the open-mode notice, and no sign-in', async () => {
    db.tickets.push(makeTicket({ title: 'Anyone can see me' }));
    renderWithProviders(<AccessGate />);
    expect(await screen.findByText('Anyone can see me')).toBeInTheDocument();
    expect(screen.getByTestId('open-mode-banner')).toHaveTextContent('ACCESS_MODE=accounts');
    expect(screen.getByLabelText('Category')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Sign out' })).not.toBeInTheDocument();
    expect(db.requests.some((r) => r.url.pathname === '/api/auth/me/')).toBe(false);
  });

  it('treats a server without /api/auth/config/ (404) as open mode', async () => {
    db.auth.config = null;
    db.tickets.push(makeTicket({ title: 'Older server' }));
    renderWithProviders(<AccessGate />);
    expect(await screen.findByText('Older server')).toBeInTheDocument();
    expect(screen.getByTestId('open-mode-banner')).toBeInTheDocument();
  });
});

describe('accounts mode', () => {
  it('asks a signed-out visitor to sign in, then shows the desk to an agent', async () => {
    enableAccountsMode({ accounts: [agent] });
    db.tickets.push(makeTicket({ title: 'Behind the sign-in', requester: asRequester(requester) }));
    const { user } = renderWithProviders(<AccessGate />);

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.queryByText('Behind the sign-in')).not.toBeInTheDocument();
    expect(screen.queryByTestId('open-mode-banner')).not.toBeInTheDocument();
    await user.type(screen.getByLabelText('Email'), agent.email);
    await user.type(screen.getByLabelText('Password'), 'secret{Enter}');

    await screen.findByRole('button', { name: 'Sign out' });
    const banner = screen.getByRole('banner');
    expect(within(banner).getByText('Alex Agent')).toBeInTheDocument();
    expect(within(banner).getByText('Agent')).toBeInTheDocument();
    expect(within(banner).getByRole('button', { name: 'Sign out' })).toBeInTheDocument();
    expect(within(banner).queryByRole('link', { name: 'Users (admin)' })).not.toBeInTheDocument();
    // Today's desk: the form with its label pickers, the dashboard, and the requester on the row.
    const row = await screen.findByTestId('ticket-row');
    expect(row).toHaveTextContent('Behind the sign-in');
    expect(row).toHaveTextContent('from Rita Requester');
    expect(screen.getByLabelText('Total tickets')).toBeInTheDocument();
    expect(screen.getByRole('form', { name: 'New ticket' })).toBeInTheDocument();
  });

  it('links admins to user management in the header', async () => {
    enableAccountsMode({ user: admin });
    renderWithProviders(<AccessGate />);
    const link = await screen.findByRole('link', { name: 'Users (admin)' });
    expect(link).toHaveAttribute('href', '/admin/');
    const banner = screen.getByRole('banner');
    expect(banner).toContainElement(link);
    expect(within(banner).getByText('Ada Admin')).toBeInTheDocument();
  });

  it('names the requester in an agent’s ticket detail', async () => {
    enableAccountsMode({ user: agent });
    db.tickets.push(makeTicket({ title: 'Whose is it', requester: asRequester(requester) }));
    renderWithProviders(<AccessGate />, { route: '/tickets/1' });
    const dialog = await screen.findByRole('dialog', { name: 'Whose is it' });
    expect(dialog).toHaveTextContent(`Requested by Rita Requester (${requester.email})`);
  });

  it('returns to the sign-in page when the session ends mid-way (a 401), forgetting what was loaded', async () => {
    enableAccountsMode({ user: agent });
    db.tickets.push(makeTicket({ title: 'Seen before expiry' }));
    const { user } = renderWithProviders(<AccessGate />);
    const row = await screen.findByTestId('ticket-row');

    db.auth.user = null; // The session expires on the server.
    await user.selectOptions(within(row).getByLabelText('Status'), 'resolved');

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.queryByText('Seen before expiry')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Sign out' })).not.toBeInTheDocument();
    expect(db.tickets[0].status).toBe('open');

    // Signing in again shows the desk, loaded afresh.
    await user.type(screen.getByLabelText('Email'), agent.email);
    await user.type(screen.getByLabelText('Password'), 'secret{Enter}');
    expect(await screen.findByText('Seen before expiry')).toBeInTheDocument();
  });

  it('shows the sign-in page again after signing out', async () => {
    enableAccountsMode({ user: agent });
    const { user } = renderWithProviders(<AccessGate />);
    await user.click(await screen.findByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
  });
});

describe('the requester view', () => {
  it('has a title-and-description form, their own requests and no dashboard or triage panel', async () => {
    enableAccountsMode({ user: requester });
    db.tickets.push(
      makeTicket({ title: 'Mine', status: 'in_progress', requester: asRequester(requester) }),
      makeTicket({ title: 'Someone else’s', requester: asRequester(otherRequester) }),
    );
    const { user } = renderWithProviders(<AccessGate />);

    const list = await screen.findByRole('list', { name: 'My requests, newest first' });
    const rows = await within(list).findAllByRole('listitem');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveTextContent('Mine');
    expect(rows[0]).toHaveTextContent('Status: In progress');
    expect(screen.queryByText('Someone else’s')).not.toBeInTheDocument();

    const banner = screen.getByRole('banner');
    expect(within(banner).getByText('Rita Requester')).toBeInTheDocument();
    expect(within(banner).getByText('Requester')).toBeInTheDocument();
    expect(within(banner).queryByRole('link', { name: 'Users (admin)' })).not.toBeInTheDocument();

    const form = screen.getByRole('form', { name: 'New request' });
    expect(within(form).queryByLabelText('Category')).not.toBeInTheDocument();
    expect(within(form).queryByLabelText('Priority')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Total tickets')).not.toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Triage model' })).not.toBeInTheDocument();

    await user.type(within(form).getByLabelText('Title'), 'Cannot download invoice');
    await user.type(within(form).getByLabelText('Description'), 'The download button does nothing.');
    await user.click(within(form).getByRole('button', { name: 'Submit request' }));
    expect(await within(list).findByText('Cannot download invoice')).toBeInTheDocument();
    expect(db.requests.find((r) => r.method === 'POST' && r.url.pathname === '/api/tickets/')?.body).toEqual({
      title: 'Cannot download invoice',
      description: 'The download button does nothing.',
    });
    // Stats, triage status and suggestions are agents' only: never asked for.
    const asked = db.requests.map((r) => r.url.pathname);
    expect(asked).not.toContain('/api/tickets/stats/');
    expect(asked).not.toContain('/api/triage/status/');
    expect(asked).not.toContain('/api/tickets/classify/');
  });

  it('opens a request from the list, and closing the dialog returns to the list', async () => {
    enableAccountsMode({ user: requester });
    db.tickets.push(makeTicket({ title: 'Open me', requester: asRequester(requester) }));
    const { user } = renderWithProviders(<AccessGate />);
    await user.click(await screen.findByRole('link', { name: 'Open me' }));
    const dialog = await screen.findByRole('dialog', { name: 'Open me' });
    expect(testLocation()).toBe('/tickets/1');
    expect(within(dialog).queryByLabelText('Status')).not.toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(testLocation()).toBe('/');
  });

  it('shows "not found" for another requester’s ticket', async () => {
    enableAccountsMode({ user: requester });
    db.tickets.push(makeTicket({ title: 'Not yours', requester: asRequester(otherRequester) }));
    renderWithProviders(<AccessGate />, { route: '/tickets/1' });
    const dialog = await screen.findByRole('dialog', { name: 'Ticket not found' });
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Could not load ticket #1. Not found.');
    expect(screen.queryByText('Not yours')).not.toBeInTheDocument();
  });
});
