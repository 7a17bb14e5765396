import { useState } from 'react';
import { useLogin } from '../api/login';
import { useSignup } from '../api/signup';
import { CredentialsForm, type CredentialField } from './credentials-form';

const EMAIL = { name: 'email', label: 'Email', type: 'email', required: 'Enter your email address.' } as const;

const SIGN_IN_FIELDS: readonly CredentialField<'email' | 'password'>[] = [
  { ...EMAIL, autoComplete: 'username' },
  { name: 'password', label: 'Password', type: 'password', autoComplete: 'current-password', required: 'Enter your password.' },
];

const SIGN_UP_FIELDS: readonly CredentialField<'name' | 'email' | 'password'>[] = [
  { name: 'name', label: 'Name', autoComplete: 'name', required: 'Enter your name.' },
  { ...EMAIL, autoComplete: 'email' },
  { name: 'password', label: 'Password', type: 'password', autoComplete: 'new-password', required: 'Choose a password.' },
];

function Switch({ question, action, onClick }: { question: string; action: string; onClick: () => void }) {
  return (
    <p className="auth-form__switch">
      {question}{' '}
      <button type="button" className="button button--link" onClick={onClick}>
        {action}
      </button>
    </p>
  );
}

/**
 * The page a signed-out visitor sees in accounts mode: sign in, or, when the server allows
 * self sign-up, create a requester account. Either signs in at once, and the app then shows the
 * page that was asked for.
 */
export function SignInPage({ signup }: { signup: boolean }) {
  const [mode, setMode] = useState<'sign-in' | 'sign-up'>('sign-in');
  const login = useLogin();
  const register = useSignup();
  return (
    <div className="auth-page">
      <section className="panel auth-card">
        {mode === 'sign-up' && signup ? (
          <CredentialsForm
            key="sign-up"
            title="Create an account"
            intro="An account lets you send requests and follow their progress."
            fields={SIGN_UP_FIELDS}
            submitLabel="Create account"
            pendingLabel="Creating your account…"
            pending={register.isPending}
            onSubmit={register.mutateAsync}
            footer={<Switch question="Already have an account?" action="Sign in" onClick={() => setMode('sign-in')} />}
          />
        ) : (
          <CredentialsForm
            key="sign-in"
            title="Sign in"
            fields={SIGN_IN_FIELDS}
            submitLabel="Sign in"
            pendingLabel="Signing in…"
            pending={login.isPending}
            onSubmit={login.mutateAsync}
            footer={
              signup ? <Switch question="New here?" action="Create an account" onClick={() => setMode('sign-up')} /> : null
            }
          />
        )}
      </section>
    </div>
  );
}
