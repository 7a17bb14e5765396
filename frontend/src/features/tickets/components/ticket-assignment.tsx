import { useQueryClient } from '@tanstack/react-query';
import { SelectField, type SelectOption } from '@/components/select-field';
import { queryKeys } from '@/lib/query-keys';
import type { Ticket, TicketUpdate, User } from '@/types/models';
import { useAgents } from '../api/get-agents';
import { useTeams } from '../api/get-teams';

type Props = { ticket: Ticket; onChange: (data: TicketUpdate) => void };

/** The signed-in user, as the access gate loaded it (null when signed out or in open mode). */
function useSignedIn(): User | null {
  return useQueryClient().getQueryData<User | null>(queryKeys.auth.me) ?? null;
}

/**
 * Who works on a ticket (accounts mode, agents): its team, its assignee, and "Assign to me".
 * The assignee list is the team's members when the ticket has a team, else every active agent.
 */
export function TicketAssignment({ ticket, onChange }: Props) {
  const me = useSignedIn();
  const teams = useTeams();
  const agents = useAgents();
  if (teams.isPending || agents.isPending) {
    return <p className="muted" role="status">Loading teams and agents…</p>;
  }
  if (teams.isError || agents.isError) {
    return <p className="notice notice--error">Could not load teams and agents.</p>;
  }
  const team = teams.data.find((t) => t.id === ticket.team?.id) ?? null;
  const candidates = team ? agents.data.filter((a) => team.members.includes(a.id)) : agents.data;
  const teamOptions: SelectOption<string>[] = teams.data.map((t) => ({ value: String(t.id), label: t.name }));
  const assigneeOptions: SelectOption<string>[] = candidates.map((a) => ({
    value: String(a.id),
    label: a.name || a.email,
  }));
  const assignee = ticket.assignee ?? null;
  if (assignee && !candidates.some((a) => a.id === assignee.id)) {
    assigneeOptions.push({ value: String(assignee.id), label: assignee.name, disabled: true });
  }
  const canTakeIt =
    me !== null && me.role !== 'requester' && assignee?.id !== me.id && (!team || team.members.includes(me.id));
  return (
    <div className="detail__controls" role="group" aria-label="Assignment">
      <SelectField
        compact
        label="Team"
        value={ticket.team ? String(ticket.team.id) : ''}
        emptyOption="No team"
        options={teamOptions}
        onChange={(value) => onChange({ team: value === '' ? null : Number(value) })}
      />
      <SelectField
        compact
        label="Assignee"
        value={assignee ? String(assignee.id) : ''}
        emptyOption="Nobody"
        options={assigneeOptions}
        onChange={(value) => onChange({ assignee: value === '' ? null : Number(value) })}
      />
      {canTakeIt ? (
        <button type="button" className="button button--small" onClick={() => onChange({ assignee: me.id })}>
          Assign to me
        </button>
      ) : null}
      {ticket.needs_triage ? (
        <p className="notice">Triage was unsure of this ticket: choose its team.</p>
      ) : null}
      {teams.data.length === 0 ? <p className="muted">No teams yet: an admin creates them.</p> : null}
    </div>
  );
}
