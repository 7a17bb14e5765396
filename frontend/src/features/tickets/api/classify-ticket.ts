import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { Classification, ClassifyRequest } from '@/types/models';

export type ClassifyInput = { title: string; description: string };

/** Suggestions are a convenience: give up quickly rather than keep the person waiting. */
const CLASSIFY_TIMEOUT_MS = 8_000;

async function classifyTicket(
  input: ClassifyInput,
  signal?: AbortSignal,
): Promise<Classification> {
  const body: ClassifyRequest = input.title
    ? input
    : { description: input.description };
  const response = await api.post<Classification>('/tickets/classify/', body, {
    signal,
    timeout: CLASSIFY_TIMEOUT_MS,
  });
  return response.data;
}

/** Suggested labels for a draft; idle until the description has text. */
export function useClassifyTicket(input: ClassifyInput) {
  const enabled = input.description.trim().length > 0;
  return useQuery({
    queryKey: queryKeys.classify(input),
    queryFn: ({ signal }) => classifyTicket(input, signal),
    enabled,
    retry: false,
    staleTime: Infinity,
    gcTime: 5 * 60_000,
    refetchOnWindowFocus: false,
    placeholderData: keepPreviousData,
  });
}
