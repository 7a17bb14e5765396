import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeTicket } from '@/testing/data';
import { db } from '@/testing/handlers';
import { renderWithProviders, testLocation } from '@/testing/test-utils';
import { AppRoutes } from './router';

describe('the desk', () => {
  it('lists a new ticket and counts it without a reload', async () => {
    db.tickets.push(makeTicket({ title: 'Existing' }));
    const { user } = renderWithProviders(<AppRoutes />);
    expect(await screen.findByText('Existing')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByLabelText('Total tickets')).toHaveTextContent('1'));

    await user.type(screen.getByLabelText('Title'), 'Charged twice');
    await user.type(screen.getByLabelText('Description'), 'Please refund the second charge');
    await waitFor(() => expect(screen.getByLabelText('Category')).toHaveValue('billing'));
    await user.click(screen.getByRole('button', { name: 'Submit ticket' }));

    const list = await screen.findByRole('list', { name: 'Tickets, newest first' });
    expect(await within(list).findByText('Charged twice')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByLabelText('Total tickets')).toHaveTextContent('2'));
    expect(screen.getByLabelText('Open tickets')).toHaveTextContent('2');
    expect(screen.getByTestId('ticket-count')).toHaveTextContent('2 tickets');
  });

  it('opens a ticket in a dialog that keeps the filters, and updates the dashboard on change', async () => {
    db.tickets.push(makeTicket({ title: 'Open me', category: 'billing' }));
    const { user } = renderWithProviders(<AppRoutes />, { route: '/?category=billing' });
    await waitFor(() => expect(screen.getByLabelText('Open tickets')).toHaveTextContent('1'));
    await user.click(await screen.findByRole('link', { name: 'Open me' }));
    const dialog = await screen.findByRole('dialog', { name: 'Open me' });
    expect(testLocation()).toBe('/tickets/1?category=billing');

    await user.selectOptions(within(dialog).getByLabelText('Status'), 'resolved');
    await waitFor(() => expect(screen.getByLabelText('Open tickets')).toHaveTextContent('0'));
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(testLocation()).toBe('/?category=billing');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });
});
