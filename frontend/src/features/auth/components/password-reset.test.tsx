import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { enableAccountsMode } from '@/testing/handlers';
import { server } from '@/testing/server';
import { renderWithProviders } from '@/testing/test-utils';
import { SignInPage } from './sign-in-page';

const sent = { detail: 'If an account exists for this address, we sent it an email.' };

describe('Password reset', () => {
  afterEach(() => window.history.replaceState(null, '', '/'));

  it('asks for a link from the sign-in form and says one was sent if the account exists', async () => {
    enableAccountsMode();
    const bodies: unknown[] = [];
    server.use(
      http.post('/api/auth/password-reset/', async ({ request }) => {
        bodies.push(await request.json());
        return HttpResponse.json(sent, { status: 202 });
      }),
    );
    const { user } = renderWithProviders(<SignInPage signup={false} />);
    await user.click(screen.getByRole('button', { name: 'Forgot your password?' }));
    expect(screen.getByRole('heading', { name: 'Reset your password' })).toBeInTheDocument();
    await user.type(screen.getByLabelText('Email'), ' alex@example.com ');
    await user.click(screen.getByRole('button', { name: 'Send the link' }));

    expect(await screen.findByRole('status')).toHaveTextContent('If an account exists');
    expect(bodies).toEqual([{ email: 'alex@example.com' }]);
  });

  it('sets a new password from the link, shows a refused one, then goes to sign-in', async () => {
    enableAccountsMode();
    window.history.replaceState(null, '', '/reset-password?uid=MQ&token=abc-123');
    const bodies: unknown[] = [];
    server.use(
      http.post('/api/auth/password-reset/confirm/', async ({ request }) => {
        const body = (await request.json()) as { new_password: string };
        bodies.push(body);
        if (body.new_password === '123') {
          return HttpResponse.json(
            {
              error: {
                status: 400,
                code: 'invalid',
                message: 'Invalid input.',
                fields: { new_password: ['This password is too short.'] },
              },
            },
            { status: 400 },
          );
        }
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const { user } = renderWithProviders(<SignInPage signup={false} />);
    expect(screen.getByRole('heading', { name: 'Choose a new password' })).toBeInTheDocument();
    const field = screen.getByLabelText('New password');
    await user.type(field, '123{Enter}');
    expect(await screen.findByText('This password is too short.')).toBeInTheDocument();

    await user.clear(field);
    await user.type(field, 'a long new passphrase{Enter}');
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('Your new password is set');
    expect(window.location.pathname).toBe('/');
    expect(bodies).toEqual([
      { uid: 'MQ', token: 'abc-123', new_password: '123' },
      { uid: 'MQ', token: 'abc-123', new_password: 'a long new passphrase' },
    ]);
  });
});
