import { useState } from 'react';
import { useConfirmPasswordReset } from '../api/confirm-password-reset';
import { useLogin } from '../api/login';
import { useRequestPasswordReset } from '../api/request-password-reset';
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

const FORGOT_FIELDS: readonly CredentialField<'email'>[] = [{ ...EMAIL, autoComplete: 'username' }];

const RESET_FIELDS: readonly CredentialField<'new_password'>[] = [
  { name: 'new_password', label: 'New password', type: 'password', autoComplete: 'new-password', required: 'Choose a new password.' },
];

type Mode = 'sign-in' | 'sign-up' | 'forgot' | 'sent' | 'reset';

/** The emailed link's `uid` and `token` when the page is `/reset-password?uid=…&token=…`. */
function resetLink(): { uid: string; token: string } | null {
  if (window.location.pathname !== '/reset-password') return null;
  const query = new URLSearchParams(window.location.search);
  const uid = query.get('uid');
  const token = query.get('token');
  return uid && token ? { uid, token } : null;
}

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
  const [link] = useState(resetLink);
  const [mode, setMode] = useState<Mode>(link ? 'reset' : 'sign-in');
  const [notice, setNotice] = useState<string | null>(null);
  const login = useLogin();
  const register = useSignup();
  const forgot = useRequestPasswordReset();
  const reset = useConfirmPasswordReset();
  const backToSignIn = <Switch question="Remembered it?" action="Back to sign in" onClick={() => setMode('sign-in')} />;

  const form = (() => {
    switch (mode) {
      case 'sign-up':
        if (!signup) break;
        return (
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
        );
      case 'forgot':
        return (
          <CredentialsForm
            key="forgot"
            title="Reset your password"
            intro="Enter your account's email address and we will send you a link to choose a new password."
            fields={FORGOT_FIELDS}
            submitLabel="Send the link"
            pendingLabel="Sending…"
            pending={forgot.isPending}
            onSubmit={async (values) => {
              await forgot.mutateAsync(values);
              setMode('sent');
            }}
            footer={backToSignIn}
          />
        );
      case 'sent':
        return (
          <div className="auth-form">
            <h2 className="section-title">Check your email</h2>
            <p role="status">If an account exists for that address, we sent it a link to choose a new password.</p>
            <Switch question="Got the link?" action="Back to sign in" onClick={() => setMode('sign-in')} />
          </div>
        );
      case 'reset':
        if (!link) break;
        return (
          <CredentialsForm
            key="reset"
            title="Choose a new password"
            fields={RESET_FIELDS}
            submitLabel="Set password"
            pendingLabel="Setting your password…"
            pending={reset.isPending}
            onSubmit={async (values) => {
              await reset.mutateAsync({ ...link, new_password: values.new_password });
              window.history.replaceState(null, '', '/');
              setNotice('Your new password is set. Sign in with it.');
              setMode('sign-in');
            }}
            footer={<Switch question="Link expired?" action="Ask for a new one" onClick={() => setMode('forgot')} />}
          />
        );
      default:
        break;
    }
    return (
      <CredentialsForm
        key="sign-in"
        title="Sign in"
        fields={SIGN_IN_FIELDS}
        submitLabel="Sign in"
        pendingLabel="Signing in…"
        pending={login.isPending}
        onSubmit={login.mutateAsync}
        footer={
          <>
            <Switch question="" action="Forgot your password?" onClick={() => setMode('forgot')} />
            {signup ? <Switch question="New here?" action="Create an account" onClick={() => setMode('sign-up')} /> : null}
          </>
        }
      />
    );
  })();

  return (
    <div className="auth-page">
      <section className="panel auth-card">
        {notice && mode === 'sign-in' ? (
          <p role="status" className="notice">
            {notice}
          </p>
        ) : null}
        {form}
      </section>
    </div>
  );
}
