import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeTicket, makeUser } from '@/testing/data';
import { db, enableAccountsMode } from '@/testing/handlers';
import { renderWithProviders } from '@/testing/test-utils';
import { RequestDetail } from './request-detail';

const rita = makeUser('requester');
const mine = { requester: { id: rita.id, email: rita.email, name: rita.name } };

function patches() {
  return db.requests.filter((r) => r.method === 'PATCH').map((r) => r.body);
}

describe('RequestDetail', () => {
  it('closes the request with one PATCH of status closed', async () => {
    enableAccountsMode({ user: rita });
    db.tickets.push(makeTicket({ title: 'Done with this', status: 'resolved', ...mine }));
    const { user } = renderWithProviders(<RequestDetail id={1} onClose={() => {}} />);
    const dialog = await screen.findByRole('dialog', { name: 'Done with this' });
    expect(within(dialog).getByText('Resolved')).toBeInTheDocument();
    expect(within(dialog).queryByRole('button', { name: 'Edit' })).not.toBeInTheDocument();
    expect(within(dialog).queryByLabelText('Category')).not.toBeInTheDocument();

    await user.click(within(dialog).getByRole('button', { name: 'Close request' }));
    await waitFor(() => expect(db.tickets[0].status).toBe('closed'));
    expect(patches()).toEqual([{ status: 'closed' }]);
    expect(await within(dialog).findByText(/This request is closed\. To ask something else, please open a new request\./)).toBeInTheDocument();
    expect(within(dialog).queryByRole('button', { name: 'Close request' })).not.toBeInTheDocument();
  });

  it('edits the title and description while the request is open', async () => {
    enableAccountsMode({ user: rita });
    db.tickets.push(makeTicket({ title: 'Typo in titel', description: 'First words', ...mine }));
    const { user } = renderWithProviders(<RequestDetail id={1} onClose={() => {}} />);
    const dialog = await screen.findByRole('dialog', { name: 'Typo in titel' });
    await user.click(within(dialog).getByRole('button', { name: 'Edit' }));

    const title = within(dialog).getByLabelText('Title');
    expect(title).toHaveFocus();
    await user.clear(title);
    await user.type(title, 'Typo in title');
    await user.type(within(dialog).getByLabelText('Description'), ', and more');
    await user.click(within(dialog).getByRole('button', { name: 'Save changes' }));

    expect(await screen.findByRole('dialog', { name: 'Typo in title' })).toBeInTheDocument();
    expect(patches()).toEqual([{ title: 'Typo in title', description: 'First words, and more' }]);
    await waitFor(() => expect(within(dialog).queryByLabelText('Title')).not.toBeInTheDocument());
  });

  it('shows the server’s refusal and keeps what was there', async () => {
    enableAccountsMode({ user: rita });
    // Someone started on it meanwhile: the page still thinks it is open, the server refuses.
    db.tickets.push(makeTicket({ title: 'Racing', status: 'open', ...mine }));
    const { user } = renderWithProviders(<RequestDetail id={1} onClose={() => {}} />);
    const dialog = await screen.findByRole('dialog', { name: 'Racing' });
    Object.assign(db.tickets[0], { status: 'in_progress' });
    await user.click(within(dialog).getByRole('button', { name: 'Edit' }));
    await user.type(within(dialog).getByLabelText('Title'), ' again');
    await user.click(within(dialog).getByRole('button', { name: 'Save changes' }));

    await waitFor(() =>
      expect(within(dialog).getByRole('alert')).toHaveTextContent(
        'Could not save: You do not have permission to perform this action.',
      ),
    );
    expect(db.tickets[0].title).toBe('Racing');
    // The refetch after the refusal shows why: someone is on it, so editing is over.
    expect(await within(dialog).findByText(/can no longer be edited/)).toBeInTheDocument();
    expect(within(dialog).getByText('In progress')).toBeInTheDocument();
    expect(within(dialog).getByRole('alert')).toHaveTextContent('You do not have permission');
  });
});
