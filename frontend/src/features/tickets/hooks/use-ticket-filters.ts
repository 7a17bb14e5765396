import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { TicketListParams } from '@/lib/query-keys';
import { CATEGORIES, PRIORITIES, STATUSES } from '@/types/api';

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
 * (`?status=open,in_progress&search=refund`).
 */
export function useTicketFilters() {
  const [searchParams, setSearchParams] = useSearchParams();

  const filters: TicketListParams = useMemo(
    () => ({
      category: readList(searchParams, 'category'),
      priority: readList(searchParams, 'priority'),
      status: readList(searchParams, 'status'),
      search: searchParams.get('search') ?? '',
    }),
    [searchParams],
  );

  const update = useCallback(
    (name: FilterName | 'search', value: string | string[]) => {
      setSearchParams(
        (current) => {
          const next = new URLSearchParams(current);
          const joined = Array.isArray(value) ? value.join(',') : value.trim();
          if (joined) next.set(name, joined);
          else next.delete(name);
          return next;
        },
        { replace: name === 'search' },
      );
    },
    [setSearchParams],
  );

  const clear = useCallback(() => {
    setSearchParams((current) => {
      const next = new URLSearchParams(current);
      for (const name of ['category', 'priority', 'status', 'search']) next.delete(name);
      return next;
    });
  }, [setSearchParams]);

  const active =
    filters.category.length + filters.priority.length + filters.status.length > 0 ||
    filters.search.trim() !== '';

  return { filters, update, clear, active };
}
