import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OpenModeBanner } from './open-mode-banner';

afterEach(() => window.localStorage.clear());

describe('OpenModeBanner', () => {
  it('says that everyone can change every ticket and how to require sign-in', () => {
    render(<OpenModeBanner />);
    expect(screen.getByTestId('open-mode-banner')).toHaveTextContent(
      'Open mode: there is no sign-in, so anyone who can reach this server can read and change every ticket. To require accounts, set ACCESS_MODE=accounts on the server and restart it.',
    );
  });

  it('goes when dismissed, and stays gone on the next visit', async () => {
    const user = userEvent.setup();
    const { unmount } = render(<OpenModeBanner />);
    await user.click(screen.getByRole('button', { name: 'Dismiss the open mode notice' }));
    expect(screen.queryByTestId('open-mode-banner')).not.toBeInTheDocument();
    unmount();

    render(<OpenModeBanner />);
    expect(screen.queryByTestId('open-mode-banner')).not.toBeInTheDocument();
  });

  it('can be dismissed for this page where storage is blocked', async () => {
    vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
      throw new DOMException('blocked', 'SecurityError');
    });
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('blocked', 'SecurityError');
    });
    const user = userEvent.setup();
    render(<OpenModeBanner />);
    await user.click(screen.getByRole('button', { name: 'Dismiss the open mode notice' }));
    expect(screen.queryByTestId('open-mode-banner')).not.toBeInTheDocument();
  });
});
