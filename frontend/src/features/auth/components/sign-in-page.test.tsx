import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { queryKeys } from '@/lib/query-keys';
import { makeUser } from '@/testing/data';
import { db, enableAccountsMode } from '@/testing/handlers';
import { renderWithProviders } from '@/testing/test-utils';
import { SignInPage } from './sign-in-page';

const agent = makeUser('agent', { email: 'alex@example.com' });

describe('SignInPage', () => {
  it('signs in with the keyboard alone, starting in the email field', async () => {
    enableAccountsMode({ accounts: [agent] });
    document.cookie = 'csrftoken=signin-token';
    const { user, queryClient } = renderWithProviders(<SignInPage signup={false} />);

    expect(screen.getByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.getByLabelText('Email')).toHaveFocus();
    await user.keyboard('alex@example.com');
    await user.tab();
    expect(screen.getByLabelText('Password')).toHaveFocus();
    await user.keyboard('secret{Enter}');

    await waitFor(() => expect(queryClient.getQueryData(queryKeys.auth.me)).toEqual(agent));
    const login = db.requests.find((r) => r.url.pathname === '/api/auth/login/');
    expect(login?.body).toEqual({ email: 'alex@example.com', password: 'secret' });
    expect(login?.headers.get('X-CSRFToken')).toBe('signin-token');
    expect(screen.queryByRole('button', { name: 'Create an account' })).not.toBeInTheDocument();
  });

  it('shows and announces the server’s message for a wrong password', async () => {
    enableAccountsMode({ accounts: [agent] });
    const { user, queryClient } = renderWithProviders(<SignInPage signup={false} />);
    await user.type(screen.getByLabelText('Email'), 'alex@example.com');
    await user.type(screen.getByLabelText('Password'), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong email or password.');
    expect(queryClient.getQueryData(queryKeys.auth.me)).toBeUndefined();
  });

  it('says how long to wait when sign-in is throttled (429 with Retry-After)', async () => {
    enableAccountsMode({ accounts: [agent] });
    db.auth.loginThrottledFor = 300;
    const { user } = renderWithProviders(<SignInPage signup={false} />);
    await user.type(screen.getByLabelText('Email'), 'alex@example.com');
    await user.type(screen.getByLabelText('Password'), 'secret');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Too many attempts. Try again in 5 minutes.');
  });

  it('marks empty fields without asking the server, and the server’s field errors next to their fields', async () => {
    enableAccountsMode({ accounts: [agent] });
    const { user } = renderWithProviders(<SignInPage signup={false} />);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription('Enter your email address.');
    expect(screen.getByLabelText('Email')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('Enter your password.');
    expect(screen.getByLabelText('Email')).toHaveFocus();
    expect(db.requests).toHaveLength(0);

    await user.type(screen.getByLabelText('Email'), 'not-an-email');
    await user.type(screen.getByLabelText('Password'), 'secret');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Email')).toHaveAccessibleDescription('Enter a valid email address.'),
    );
    expect(screen.getByLabelText('Password')).not.toHaveAttribute('aria-invalid');
    expect(screen.getByRole('alert')).toHaveTextContent('Please fix the highlighted fields.');
  });

  it('creates a requester account when the server allows sign-up', async () => {
    enableAccountsMode({ signup: true });
    const { user, queryClient } = renderWithProviders(<SignInPage signup />);
    await user.click(screen.getByRole('button', { name: 'Create an account' }));

    expect(screen.getByRole('heading', { name: 'Create an account' })).toBeInTheDocument();
    expect(screen.getByLabelText('Name')).toHaveFocus();
    await user.keyboard('Nia New');
    await user.type(screen.getByLabelText('Email'), 'nia@example.com');
    await user.type(screen.getByLabelText('Password'), 'a long passphrase');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    await waitFor(() =>
      expect(queryClient.getQueryData(queryKeys.auth.me)).toMatchObject({ email: 'nia@example.com', role: 'requester' }),
    );
    expect(db.requests.find((r) => r.url.pathname === '/api/auth/signup/')?.body).toEqual({
      name: 'Nia New',
      email: 'nia@example.com',
      password: 'a long passphrase',
    });
  });
});
