import type { UseQueryResult } from '@tanstack/react-query';
import { LoadError } from '@/components/panel';
import { useAuthConfig } from '@/features/auth/api/get-auth-config';
import { useMe } from '@/features/auth/api/get-me';
import { AccountMenu } from '@/features/auth/components/account-menu';
import { OpenModeBanner } from '@/features/auth/components/open-mode-banner';
import { SignInPage } from '@/features/auth/components/sign-in-page';
import { useSessionExpiry } from '@/features/auth/hooks/use-session-expiry';
import type { User } from '@/types/models';
import { useLiveUpdates } from './live-updates';
import { AppRoutes, RequesterRoutes } from './router';
import { Shell } from './shell';

const SKIP_TO_TICKETS = { target: 'tickets-heading', label: 'Skip to tickets' };
const SKIP_TO_REQUESTS = { target: 'requests-heading', label: 'Skip to my requests' };

function LiveUpdates() {
  useLiveUpdates();
  return null;
}

/** The page while `query` loads, or when it failed: a bare shell with the state and a retry. */
function QueryState({ query, loading, failure }: { query: UseQueryResult; loading: string; failure: string }) {
  return (
    <Shell>
      {query.isError ? (
        <LoadError message={`${failure} ${query.error.message}`} onRetry={() => query.refetch()} />
      ) : (
        <p className="list-state" role="status">
          {loading}
        </p>
      )}
    </Shell>
  );
}

function SignedIn({ user }: { user: User }) {
  const requester = user.role === 'requester';
  return (
    <>
      {/* Keyed by user: the stream a requester receives carries only their tickets. */}
      <LiveUpdates key={user.id} />
      <Shell live skipTo={requester ? SKIP_TO_REQUESTS : SKIP_TO_TICKETS} account={<AccountMenu user={user} />}>
        {requester ? <RequesterRoutes /> : <AppRoutes />}
      </Shell>
    </>
  );
}

function AccountsMode({ signup }: { signup: boolean }) {
  const me = useMe();
  if (me.isPending || me.isError) {
    return <QueryState query={me} loading="Checking your session…" failure="Could not check your session." />;
  }
  if (!me.data) {
    return (
      <Shell>
        <SignInPage signup={signup} />
      </Shell>
    );
  }
  return <SignedIn user={me.data} />;
}

/**
 * What the server's access mode lets this visitor see. Open mode: the desk as everyone's, with a
 * notice saying so. Accounts mode: the sign-in page until someone signs in, then the desk for
 * agents and admins or a requester's own requests. Any 401 later (session expired, signed out
 * elsewhere) returns to the sign-in page.
 */
export function AccessGate() {
  useSessionExpiry();
  const config = useAuthConfig();
  if (config.isPending || config.isError) {
    return <QueryState query={config} loading="Loading…" failure="Could not reach the server." />;
  }
  if (config.data.access_mode === 'accounts') return <AccountsMode signup={config.data.signup} />;
  return (
    <>
      <LiveUpdates />
      <Shell live skipTo={SKIP_TO_TICKETS} banner={<OpenModeBanner />}>
        <AppRoutes />
      </Shell>
    </>
  );
}
