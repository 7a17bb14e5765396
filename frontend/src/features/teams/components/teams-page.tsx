import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { LoadError, Panel } from '@/components/panel';
import { CATEGORY_LABELS } from '@/lib/labels';
import { queryKeys } from '@/lib/query-keys';
import type { Category, Team, User, UserRecord } from '@/types/models';
import { useCreateTeam } from '../api/create-team';
import { useAgentList } from '../api/get-agents';
import { useTeamList } from '../api/get-teams';
import { useUpdateTeam } from '../api/update-team';
import { ASSIGNMENT_LABELS } from './assignment-labels';
import { TeamForm } from './team-form';

const EMPTY = { name: '', categories: [], members: [], assignment: 'off' as const };

function NewTeam({ agents }: { agents: UserRecord[] }) {
  const create = useCreateTeam();
  // A fresh form after each team created.
  const [round, setRound] = useState(0);
  return (
    <TeamForm
      key={round}
      legend="New team"
      initial={EMPTY}
      agents={agents}
      submitLabel="Create team"
      pending={create.isPending}
      error={create.error}
      onSubmit={(data) =>
        create.mutate(data, {
          onSuccess: () => {
            create.reset();
            setRound((n) => n + 1);
          },
        })
      }
    />
  );
}

function TeamCard({ team, agents }: { team: Team; agents: UserRecord[] }) {
  const [editing, setEditing] = useState(false);
  const update = useUpdateTeam();
  const headingId = `team-${team.id}`;
  if (editing) {
    return (
      <li className="team-card">
        <TeamForm
          legend={`Edit ${team.name}`}
          initial={{
            name: team.name,
            categories: team.categories as Category[],
            members: team.members,
            assignment: team.assignment,
          }}
          agents={agents}
          submitLabel="Save team"
          pending={update.isPending}
          error={update.error}
          onSubmit={(data) =>
            update.mutate({ id: team.id, data }, { onSuccess: () => setEditing(false) })
          }
          onCancel={() => {
            update.reset();
            setEditing(false);
          }}
        />
      </li>
    );
  }
  const names = team.members.map((id) => {
    const agent = agents.find((a) => a.id === id);
    return agent ? agent.name || agent.email : `#${id}`;
  });
  return (
    <li className="team-card" aria-labelledby={headingId}>
      <h3 id={headingId}>{team.name}</h3>
      <dl>
        <dt>Categories</dt>
        <dd>
          {team.categories.length
            ? team.categories.map((c) => CATEGORY_LABELS[c as Category] ?? c).join(', ')
            : 'None (gets no tickets by routing)'}
        </dd>
        <dt>Members</dt>
        <dd>{names.length ? names.join(', ') : 'Nobody yet'}</dd>
        <dt>Assignment</dt>
        <dd>{ASSIGNMENT_LABELS[team.assignment]}</dd>
      </dl>
      <button type="button" className="button" aria-label={`Edit ${team.name}`} onClick={() => setEditing(true)}>
        Edit
      </button>
    </li>
  );
}

/**
 * Teams (admins, accounts mode): every team with what it handles, who is in it and how it assigns;
 * create one and edit one. A category belongs to one team: the server says which one has it.
 */
export function TeamsPage() {
  const me = useQueryClient().getQueryData<User | null>(queryKeys.auth.me) ?? null;
  const admin = me?.role === 'admin';
  const teams = useTeamList(admin);
  const agents = useAgentList(admin);

  let body;
  if (!admin) {
    body = <p className="list-state">Only admins manage teams.</p>;
  } else if (teams.isPending || agents.isPending) {
    body = (
      <p className="list-state" role="status">
        Loading teams…
      </p>
    );
  } else if (teams.isError || agents.isError) {
    const failed = teams.isError ? teams : agents;
    body = (
      <LoadError
        message={`Could not load teams and agents. ${failed.error?.message ?? ''}`}
        onRetry={() => {
          void teams.refetch();
          void agents.refetch();
        }}
      />
    );
  } else {
    body = (
      <>
        {teams.data.length === 0 ? (
          <p className="list-state">No teams yet. Create the first one below.</p>
        ) : (
          <ul className="teams-page__list" aria-label="Teams">
            {teams.data.map((team) => (
              <TeamCard key={team.id} team={team} agents={agents.data} />
            ))}
          </ul>
        )}
        <NewTeam agents={agents.data} />
      </>
    );
  }

  return (
    <div className="teams-page">
      <p>
        <Link to="/">← Back to the desk</Link>
      </p>
      <Panel title="Teams" headingId="teams-heading">
        {body}
      </Panel>
    </div>
  );
}
