import type { useTickets } from '../api/get-tickets';

type Props = { tickets: ReturnType<typeof useTickets>; noun: string };

/** "Load more" under a ticket list while the server has a next page, and why loading it failed. */
export function LoadMore({ tickets, noun }: Props) {
  return (
    <>
      {tickets.hasNextPage ? (
        <div className="ticket-list__more">
          <button
            type="button"
            className="button"
            onClick={() => {
              if (!tickets.isFetchingNextPage) void tickets.fetchNextPage();
            }}
            aria-disabled={tickets.isFetchingNextPage}
          >
            {tickets.isFetchingNextPage ? 'Loading more…' : 'Load more'}
          </button>
        </div>
      ) : null}
      {tickets.isFetchNextPageError ? (
        <p className="notice notice--error" role="alert">
          Could not load more {noun}. {tickets.error?.message}
        </p>
      ) : null}
    </>
  );
}
