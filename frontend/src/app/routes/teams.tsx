import { TeamsPage } from '@/features/teams/components/teams-page';

/** Admins: the teams, who is in them, what they handle and how they assign. */
export function TeamsRoute() {
  return <TeamsPage />;
}
