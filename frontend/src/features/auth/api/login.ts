import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { LoginRequest, User } from '@/types/models';
import { setSessionUser } from '../session';

/** `POST /api/auth/login/`: 200 the user; 400 bad input or wrong credentials (`invalid_credentials`), 429 throttled. */
async function login(data: LoginRequest): Promise<User> {
  const response = await api.post<User>('/auth/login/', data);
  return response.data;
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: (user) => setSessionUser(queryClient, user),
  });
}
