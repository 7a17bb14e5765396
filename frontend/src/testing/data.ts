import type { Role, User } from '@/types/models';
import type { Category, Priority, Status, Ticket, TriageStatus } from '@/types/models';

let nextId = 1;

export function makeTicket(overrides: Partial<Ticket> = {}): Ticket {
  const id = overrides.id ?? nextId++;
  const created = overrides.created_at ?? new Date(Date.UTC(2025, 0, 1, 12, 0, id)).toISOString();
  return {
    id,
    title: `Ticket ${id}`,
    description: `Description of ticket ${id}`,
    category: 'general' as Category,
    priority: 'medium' as Priority,
    status: 'open' as Status,
    created_at: created,
    updated_at: created,
    suggested_category: 'general',
    suggested_priority: 'medium',
    triage_provider: 'rules',
    triage_confidence: 0.6,
    category_by_human: false,
    priority_by_human: false,
    ...overrides,
  };
}

/** A triage status as a fresh install answers it: no LLM key, no model trained yet. */
export function makeTriageStatus(overrides: Partial<TriageStatus> = {}): TriageStatus {
  return {
    providers: [
      { name: 'local', available: true },
      { name: 'rules', available: true },
    ],
    local_model: null,
    learning: { labels_since_training: 0, retrain_every: 50, retrain_queued: false, last_trained_at: null },
    ...overrides,
  };
}

export function resetIds(): void {
  nextId = 1;
}

const NAMES: Record<Role, string> = { requester: 'Rita Requester', agent: 'Alex Agent', admin: 'Ada Admin' };

/** A user of `role`; `password` is what the MSW sign-in accepts once the user is in db.auth.accounts. */
export function makeUser(role: Role, overrides: Partial<User> = {}): User {
  const id = overrides.id ?? { requester: 11, agent: 21, admin: 31 }[role];
  return { id, email: `${role}${id}@example.com`, name: NAMES[role], role, available: true, ...overrides };
}
