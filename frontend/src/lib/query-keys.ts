import type { TicketOrdering } from '@/types/models';

/**
 * Query keys shared across features, so a mutation in one feature can invalidate what it changes
 * in another (creating a ticket changes the dashboard) without importing across features.
 */
export type TicketListParams = {
  category: string[];
  priority: string[];
  status: string[];
  search: string;
  /** `relevance` only together with a search term; otherwise always `newest`. */
  ordering: TicketOrdering;
  /** Quick views (accounts mode, agents): `me`, `none` or '' (anyone). */
  assignee?: '' | 'me' | 'none';
  /** A team's id, or '' (any team). */
  team?: string;
  /** Only tickets triage was unsure of. */
  needsTriage?: boolean;
};

export const queryKeys = {
  /** The server's access mode and the signed-in user; kept when another user's data is dropped. */
  auth: {
    all: ['auth'] as const,
    config: ['auth', 'config'] as const,
    me: ['auth', 'me'] as const,
  },
  tickets: {
    all: ['tickets'] as const,
    lists: () => ['tickets', 'list'] as const,
    list: (params: TicketListParams) => ['tickets', 'list', params] as const,
    details: () => ['tickets', 'detail'] as const,
    detail: (id: number) => ['tickets', 'detail', id] as const,
    history: (id: number) => ['tickets', 'history', id] as const,
    /** A ticket's conversation (under `tickets`, so a resync reloads it too). */
    messages: (id: number) => ['tickets', 'messages', id] as const,
    /** Under the thread's key: whatever refreshes the thread (message.created) refreshes these. */
    emails: (id: number) => ['tickets', 'messages', id, 'emails'] as const,
  },
  classify: (input: { title: string; description: string }) => ['classify', input] as const,
  stats: ['stats'] as const,
  triageStatus: ['triage', 'status'] as const,
};
