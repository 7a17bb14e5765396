import { useInfiniteQuery, type InfiniteData } from '@tanstack/react-query';
import { api, parseNextLink } from '@/lib/api-client';
import { usePollInterval } from '@/lib/live-status';
import { queryKeys, type TicketListParams } from '@/lib/query-keys';
import type { Ticket } from '@/types/models';

export const PAGE_SIZE = 20;

type TicketPage = {
  tickets: Ticket[];
  /** Same-origin path of the next page, or null on the last page. */
  next: string | null;
  total: number | null;
  /** False when the server says `total` is the database's estimate (`X-Total-Count-Exact: false`). */
  totalExact: boolean;
};

export type TicketListData = InfiniteData<TicketPage, string | null>;

function ticketListSearchParams(params: TicketListParams): URLSearchParams {
  const query = new URLSearchParams();
  if (params.category.length) query.set('category', params.category.join(','));
  if (params.priority.length) query.set('priority', params.priority.join(','));
  if (params.status.length) query.set('status', params.status.join(','));
  if (params.search.trim()) {
    query.set('search', params.search.trim());
    // Newest first is the server's default; relevance means something only with a search term.
    if (params.ordering === 'relevance') query.set('ordering', 'relevance');
  }
  if (params.assignee) query.set('assignee', params.assignee);
  if (params.team) query.set('team', params.team);
  if (params.needsTriage) query.set('needs_triage', 'true');
  query.set('limit', String(PAGE_SIZE));
  return query;
}

async function getTickets(
  params: TicketListParams,
  pageUrl: string | null,
  signal?: AbortSignal,
): Promise<TicketPage> {
  const response = pageUrl
    ? await api.get<Ticket[]>(pageUrl, { baseURL: '', signal })
    : await api.get<Ticket[]>('/tickets/', { params: ticketListSearchParams(params), signal });
  const total = Number(response.headers['x-total-count']);
  return {
    tickets: response.data,
    next: parseNextLink(response.headers['link'] as string | undefined),
    total: Number.isFinite(total) && response.headers['x-total-count'] !== undefined ? total : null,
    // Only an explicit "false" marks an estimate; a server without the header counts exactly.
    totalExact: String(response.headers['x-total-count-exact']).toLowerCase() !== 'false',
  };
}

export function useTickets(params: TicketListParams) {
  const refetchInterval = usePollInterval();
  return useInfiniteQuery({
    queryKey: queryKeys.tickets.list(params),
    queryFn: ({ pageParam, signal }) => getTickets(params, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next,
    refetchInterval,
  });
}
