import { useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '@/lib/query-keys';
import type { User } from '@/types/models';
import { useTeams } from '../api/get-teams';
import { useTicketFilters } from '../hooks/use-ticket-filters';

/** The signed-in user as the access gate loaded them; null in open mode (nobody signs in). */
function useSignedIn(): User | null {
  return useQueryClient().getQueryData<User | null>(queryKeys.auth.me) ?? null;
}

/** " team" after a team's name, unless the name says "team" already ("Support team"). */
function teamSuffix(name: string): string {
  return /\bteam$/i.test(name.trim()) ? '' : ' team';
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
 * A team's view. A long name is cut short on screen with an ellipsis, " team" staying visible;
 * the accessible name and the tooltip are always the whole "<name> team".
 */
function TeamViewButton({ name, pressed, onToggle }: { name: string; pressed: boolean; onToggle: () => void }) {
  const suffix = teamSuffix(name);
  return (
    <button
      type="button"
      className={`button button--small quick-views__button quick-views__button--team${pressed ? ' quick-views__button--on' : ''}`}
      aria-pressed={pressed}
      title={`${name.trim()}${suffix}`}
      onClick={onToggle}
    >
      <span className="quick-views__name">{name.trim()}</span>
      {suffix}
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
        <TeamViewButton
          key={t.id}
          name={t.name}
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
