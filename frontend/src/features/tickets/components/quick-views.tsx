import { useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '@/lib/query-keys';
import type { User } from '@/types/models';
import { useTeams } from '../api/get-teams';
import { useTicketFilters } from '../hooks/use-ticket-filters';

/** The signed-in user as the access gate loaded them; null in open mode (nobody signs in). */
function useSignedIn(): User | null {
  return useQueryClient().getQueryData<User | null>(queryKeys.auth.me) ?? null;
}

function ViewButton({ label, pressed, onToggle }: { label: string; pressed: boolean; onToggle: () => void }) {
  return (
    <button
      type="button"
      className={`button button--small quick-views__button${pressed ? ' quick-views__button--on' : ''}`}
      aria-pressed={pressed}
      onClick={onToggle}
    >
      {label}
    </button>
  );
}

/**
 * Quick views of the list for agents and admins in accounts mode: My tickets, Unassigned, each of
 * my teams, Needs triage. Each is a toggle kept in the URL (`?assignee=me`, `?assignee=none`,
 * `?team=<id>`, `?needs_triage=true`), so it survives a reload and a shared link, and combines
 * with the filters.
 */
export function QuickViews() {
  const me = useSignedIn();
  const staff = me !== null && me.role !== 'requester';
  const teams = useTeams(staff);
  const { filters, setQuickView } = useTicketFilters();
  if (!staff) return null;

  const myTeams = (teams.data ?? []).filter((team) => team.members.includes(me.id));
  const assignee = filters.assignee ?? '';
  const team = filters.team ?? '';
  return (
    <div className="quick-views" role="group" aria-label="Quick views">
      <ViewButton
        label="My tickets"
        pressed={assignee === 'me'}
        onToggle={() => setQuickView('assignee', assignee === 'me' ? '' : 'me')}
      />
      <ViewButton
        label="Unassigned"
        pressed={assignee === 'none'}
        onToggle={() => setQuickView('assignee', assignee === 'none' ? '' : 'none')}
      />
      {myTeams.map((t) => (
        <ViewButton
          key={t.id}
          label={`${t.name} team`}
          pressed={team === String(t.id)}
          onToggle={() => setQuickView('team', team === String(t.id) ? '' : String(t.id))}
        />
      ))}
      <ViewButton
        label="Needs triage"
        pressed={Boolean(filters.needsTriage)}
        onToggle={() => setQuickView('needs_triage', filters.needsTriage ? '' : 'true')}
      />
      {teams.isPending ? <span className="muted" role="status">Loading your teams…</span> : null}
      {teams.isError ? <span className="notice notice--error">Could not load your teams.</span> : null}
    </div>
  );
}
