import { useMutation } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { PasswordResetConfirmRequest } from '@/types/models';

/** `POST /api/auth/password-reset/confirm/`: 204 the password is set; 400 a weak password (`new_password`) or a bad link (`invalid_reset_link`). */
async function confirmPasswordReset(data: PasswordResetConfirmRequest): Promise<void> {
  await api.post('/auth/password-reset/confirm/', data);
}

export function useConfirmPasswordReset() {
  return useMutation({ mutationFn: confirmPasswordReset });
}
