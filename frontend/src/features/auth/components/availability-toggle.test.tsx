import { screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { makeUser } from '@/testing/data';
import { db, enableAccountsMode } from '@/testing/handlers';
import { server } from '@/testing/server';
import { renderWithProviders } from '@/testing/test-utils';
import { useMe } from '../api/get-me';
import { AccountMenu } from './account-menu';

/** The account menu as the access gate shows it: for whoever `GET /api/auth/me/` says. */
function Menu() {
  const me = useMe();
  return me.data ? <AccountMenu user={me.data} /> : null;
}

describe('availability for new tickets', () => {
  it('lets an agent go away and come back, saved on the server', async () => {
    enableAccountsMode({ user: makeUser('agent') });
    const { user } = renderWithProviders(<Menu />);
    const box = await screen.findByRole('checkbox', { name: 'Available for new tickets' });
    expect(box).toBeChecked();

    await user.click(box);
    await waitFor(() => expect(db.auth.user?.available).toBe(false));
    expect(box).not.toBeChecked();
    const patches = db.requests.filter((r) => r.method === 'PATCH' && r.url.pathname === '/api/auth/me/');
    expect(patches.map((r) => r.body)).toEqual([{ available: false }]);

    await user.click(box);
    await waitFor(() => expect(db.auth.user?.available).toBe(true));
    expect(box).toBeChecked();
  });

  it('says so when the change fails, and shows the saved state', async () => {
    enableAccountsMode({ user: makeUser('agent') });
    server.use(
      http.patch('/api/auth/me/', () =>
        HttpResponse.json({ error: { status: 503, code: 'unavailable', message: 'Try later.' } }, { status: 503 }),
      ),
    );
    const { user } = renderWithProviders(<Menu />);
    const box = await screen.findByRole('checkbox', { name: 'Available for new tickets' });
    await user.click(box);
    expect(await screen.findByText(/Could not change your availability\. Try later\./)).toBeInTheDocument();
    expect(box).toBeChecked();
  });

  it('is offered to admins too, but not to requesters', async () => {
    const { unmount } = renderWithProviders(<AccountMenu user={makeUser('admin')} />);
    expect(screen.getByRole('checkbox', { name: 'Available for new tickets' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Teams' })).toHaveAttribute('href', '/teams');
    unmount();
    renderWithProviders(<AccountMenu user={makeUser('requester')} />);
    expect(screen.queryByRole('checkbox', { name: 'Available for new tickets' })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Teams' })).not.toBeInTheDocument();
  });
});
