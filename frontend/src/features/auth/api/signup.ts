import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { SignupRequest, User } from '@/types/models';
import { setSessionUser } from '../session';

/** `POST /api/auth/signup/` (only when the config says `signup`): 201 the new requester, signed in. */
async function signup(data: SignupRequest): Promise<User> {
  const response = await api.post<User>('/auth/signup/', data);
  return response.data;
}

export function useSignup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: signup,
    onSuccess: (user) => setSessionUser(queryClient, user),
  });
}
