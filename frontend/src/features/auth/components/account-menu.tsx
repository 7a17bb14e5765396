import { Link } from 'react-router';
import type { Role, User } from '@/types/models';
import { useLogout } from '../api/logout';
import { AvailabilityToggle } from './availability-toggle';

const ROLE_LABELS: Record<Role, string> = {
  requester: 'Requester',
  agent: 'Agent',
  admin: 'Admin',
};

/** The header's account area: who is signed in and as what, sign-out, and for admins user management. */
export function AccountMenu({ user }: { user: User }) {
  const logout = useLogout();
  return (
    <div className="account">
      <p className="account__who">
        <span className="visually-hidden">Signed in as </span>
        <span className="account__name">{user.name || user.email}</span>{' '}
        <span className="account__role">
          <span className="visually-hidden">, </span>
          {ROLE_LABELS[user.role]}
        </span>
      </p>
      {user.role !== 'requester' ? <AvailabilityToggle user={user} /> : null}
      {user.role === 'admin' ? (
        <Link className="button button--ghost" to="/teams">
          Teams
        </Link>
      ) : null}
      {user.role === 'admin' ? (
        // Django's admin is a server page, not a route of this app: a plain link loads it.
        <a className="button button--ghost" href="/admin/">
          Users (admin)
        </a>
      ) : null}
      <button
        type="button"
        className="button"
        aria-disabled={logout.isPending}
        onClick={() => {
          if (!logout.isPending) logout.mutate();
        }}
      >
        {logout.isPending ? 'Signing out…' : 'Sign out'}
      </button>
      <div role="alert" className="account__alert">
        {logout.isError ? (
          <p className="notice notice--error">Could not sign out. {logout.error.message}</p>
        ) : null}
      </div>
    </div>
  );
}
