import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { usePollInterval } from '@/lib/live-status';
import { queryKeys } from '@/lib/query-keys';
import type { Stats } from '@/types/models';

async function getStats(signal?: AbortSignal): Promise<Stats> {
  const response = await api.get<Stats>('/tickets/stats/', { signal });
  return response.data;
}

export function useStats() {
  const refetchInterval = usePollInterval();
  return useQuery({
    queryKey: queryKeys.stats,
    queryFn: ({ signal }) => getStats(signal),
    refetchInterval,
  });
}
