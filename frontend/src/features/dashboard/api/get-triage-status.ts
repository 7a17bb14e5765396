import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { usePollInterval } from '@/lib/live-status';
import { queryKeys } from '@/lib/query-keys';
import type { TriageStatus } from '@/types/models';

/** While a retrain is queued, how often to look for its outcome: no event announces a new model. */
const RETRAIN_POLL_MS = 15_000;

async function getTriageStatus(signal?: AbortSignal): Promise<TriageStatus> {
  const response = await api.get<TriageStatus>('/triage/status/', { signal });
  return response.data;
}

/** Refreshed like the stats: on ticket events and ticket writes, and by polling while the stream is down. */
export function useTriageStatus() {
  const pollInterval = usePollInterval();
  return useQuery({
    queryKey: queryKeys.triageStatus,
    queryFn: ({ signal }) => getTriageStatus(signal),
    refetchInterval: (query) =>
      pollInterval || (query.state.data?.learning.retrain_queued ? RETRAIN_POLL_MS : false),
  });
}
