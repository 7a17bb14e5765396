import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { queryKeys } from '@/lib/query-keys';
import { makeUser } from '@/testing/data';
import { db, enableAccountsMode } from '@/testing/handlers';
import { renderWithProviders } from '@/testing/test-utils';
import { AccountMenu } from './account-menu';

describe('AccountMenu', () => {
  it('shows an agent’s name and role, with no link to user management', () => {
    renderWithProviders(<AccountMenu user={makeUser('agent')} />);
    expect(screen.getByText('Alex Agent')).toBeInTheDocument();
    expect(screen.getByText('Agent')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Users (admin)' })).not.toBeInTheDocument();
  });

  it('gives admins the link to Django’s admin', () => {
    renderWithProviders(<AccountMenu user={makeUser('admin')} />);
    expect(screen.getByText('Ada Admin')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Users (admin)' })).toHaveAttribute('href', '/admin/');
  });

  it('signs out, forgetting the user and what they loaded', async () => {
    const agent = makeUser('agent');
    enableAccountsMode({ user: agent });
    const { user, queryClient } = renderWithProviders(<AccountMenu user={agent} />);
    queryClient.setQueryData(queryKeys.auth.me, agent);
    queryClient.setQueryData(queryKeys.stats, { total_tickets: 3 });

    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    await waitFor(() => expect(queryClient.getQueryData(queryKeys.auth.me)).toBeNull());
    expect(queryClient.getQueryData(queryKeys.stats)).toBeUndefined();
    expect(db.requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual(['POST /api/auth/logout/']);
    expect(db.auth.user).toBeNull();
  });
});
