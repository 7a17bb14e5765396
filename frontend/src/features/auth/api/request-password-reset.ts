import { useMutation } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { PasswordResetRequest, PasswordResetSent } from '@/types/models';

/** `POST /api/auth/password-reset/` (accounts mode): 202 the same answer for any address; 429 throttled. */
async function requestPasswordReset(data: PasswordResetRequest): Promise<PasswordResetSent> {
  const response = await api.post<PasswordResetSent>('/auth/password-reset/', data);
  return response.data;
}

export function useRequestPasswordReset() {
  return useMutation({ mutationFn: requestPasswordReset });
}
