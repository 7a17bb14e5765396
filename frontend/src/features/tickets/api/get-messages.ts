import { useInfiniteQuery, type InfiniteData } from '@tanstack/react-query';
import { api, parseNextLink } from '@/lib/api-client';
import { usePollInterval } from '@/lib/live-status';
import { queryKeys } from '@/lib/query-keys';
import type { Message } from '@/types/models';

export const MESSAGE_PAGE_SIZE = 100;

type MessagePage = {
  messages: Message[];
  /** Same-origin path of the next (later) page, or null on the last page. */
  next: string | null;
};

export type MessageListData = InfiniteData<MessagePage, string | null>;

async function getMessages(ticketId: number, pageUrl: string | null, signal?: AbortSignal): Promise<MessagePage> {
  const response = pageUrl
    ? await api.get<Message[]>(pageUrl, { baseURL: '', signal })
    : await api.get<Message[]>(`/tickets/${ticketId}/messages/`, {
        params: { limit: MESSAGE_PAGE_SIZE },
        signal,
      });
  return { messages: response.data, next: parseNextLink(response.headers['link'] as string | undefined) };
}

/**
 * A ticket's conversation, oldest first, in keyset pages. A requester gets only the public
 * messages (the server decides). Kept current by the event stream (`message.created`
 * invalidates it); polled while the stream is down.
 */
export function useMessages(ticketId: number) {
  const refetchInterval = usePollInterval();
  return useInfiniteQuery({
    queryKey: queryKeys.tickets.messages(ticketId),
    queryFn: ({ pageParam, signal }) => getMessages(ticketId, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next,
    refetchInterval,
  });
}
