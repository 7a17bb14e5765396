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

/** A quick view of the list (accounts mode, agents): who has the ticket, which team, triage. */
export type QuickView = { assignee: '' | 'me' | 'none'; team: string; needsTriage: boolean };

function readQuickView(params: URLSearchParams): QuickView {
  const assignee = params.get('assignee');
  const team = params.get('team') ?? '';
  return {
    assignee: assignee === 'me' || assignee === 'none' ? assignee : '',
    team: /^[1-9][0-9]*$/.test(team) ? team : '',
    needsTriage: params.get('needs_triage') === 'true',
  };
}

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
      ...readQuickView(searchParams),
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

  /**
   * Turn a quick view on or off (`?assignee=me`, `?assignee=none`, `?team=3`,
   * `?needs_triage=true`); they combine with each other and with the filters above.
   */
  const setQuickView = useCallback(
    (name: 'assignee' | 'team' | 'needs_triage', value: string) => {
      setSearchParams((current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      });
    },
    [setSearchParams],
  );

  const clear = useCallback(() => {
    setSearchParams((current) => {
      const next = new URLSearchParams(current);
      for (const name of ['category', 'priority', 'status', 'search', 'ordering', 'assignee', 'team', 'needs_triage']) {
        next.delete(name);
      }
      return next;
    });
  }, [setSearchParams]);

  const active =
    filters.category.length + filters.priority.length + filters.status.length > 0 ||
    filters.search.trim() !== '' ||
    Boolean(filters.assignee || filters.team || filters.needsTriage);

  return { filters, update, setOrdering, setQuickView, clear, active };
}
