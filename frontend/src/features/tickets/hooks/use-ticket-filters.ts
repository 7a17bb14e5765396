import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { CATEGORIES, PRIORITIES, STATUSES } from '@/lib/labels';
import type { TicketListParams } from '@/lib/query-keys';
import type { TicketOrdering } from '@/types/models';

export type FilterName = 'category' | 'priority' | 'status';

const ALLOWED: Record<FilterName, readonly string[]> = {
  category: CATEGORIES,
  priority: PRIORITIES,
  status: STATUSES,
};

function readList(params: URLSearchParams, name: FilterName): string[] {
  const raw = params.get(name);
  if (!raw) return [];
  return raw.split(',').filter((value) => ALLOWED[name].includes(value));
}

/**
 * The ticket list's filters, kept in the URL query so a filtered view can be bookmarked and shared
 * (`?status=open,in_progress&search=refund&ordering=relevance`). `ordering=relevance` counts only
 * with a search term and leaves the URL when the search does.
 */
export function useTicketFilters() {
  const [searchParams, setSearchParams] = useSearchParams();

  const filters: TicketListParams = useMemo(() => {
    const search = searchParams.get('search') ?? '';
    const ordering: TicketOrdering =
      search.trim() && searchParams.get('ordering') === 'relevance' ? 'relevance' : 'newest';
    return {
      category: readList(searchParams, 'category'),
      priority: readList(searchParams, 'priority'),
      status: readList(searchParams, 'status'),
      search,
      ordering,
    };
  }, [searchParams]);

  const update = useCallback(
    (name: FilterName | 'search', value: string | string[]) => {
      setSearchParams(
        (current) => {
          const next = new URLSearchParams(current);
          const joined = Array.isArray(value) ? value.join(',') : value.trim();
          if (joined) next.set(name, joined);
          else next.delete(name);
          if (name === 'search' && !joined) next.delete('ordering');
          return next;
        },
        { replace: name === 'search' },
      );
    },
    [setSearchParams],
  );

  const setOrdering = useCallback(
    (ordering: TicketOrdering) => {
      setSearchParams((current) => {
        const next = new URLSearchParams(current);
        // Newest first is the default: leave it out of the URL.
        if (ordering === 'relevance') next.set('ordering', 'relevance');
        else next.delete('ordering');
        return next;
      });
    },
    [setSearchParams],
  );

  const clear = useCallback(() => {
    setSearchParams((current) => {
      const next = new URLSearchParams(current);
      for (const name of ['category', 'priority', 'status', 'search', 'ordering']) next.delete(name);
      return next;
    });
  }, [setSearchParams]);

  const active =
    filters.category.length + filters.priority.length + filters.status.length > 0 ||
    filters.search.trim() !== '';

  return { filters, update, setOrdering, clear, active };
}
