import { useId } from 'react';
import type { User } from '@/types/models';
import { useUpdateMe } from '../api/update-me';

/**
 * "Available for new tickets": while off, routing assigns the signed-in agent nothing new
 * (`PATCH /api/auth/me/ {available}`). The box shows the saved state; a failure says so.
 */
export function AvailabilityToggle({ user }: { user: User }) {
  const id = useId();
  const update = useUpdateMe();
  const shown = update.isPending ? update.variables.available : user.available;
  return (
    <div className="availability">
      <input
        id={id}
        type="checkbox"
        checked={shown}
        aria-busy={update.isPending}
        onChange={(event) => {
          if (!update.isPending) update.mutate({ available: event.target.checked });
        }}
      />
      <label htmlFor={id}>Available for new tickets</label>
      <div role="alert">
        {update.isError ? (
          <p className="notice notice--error">Could not change your availability. {update.error.message}</p>
        ) : null}
      </div>
    </div>
  );
}
