import { useState } from 'react';

const DISMISSED_KEY = 'triagedesk.open-mode-banner.dismissed';

/** localStorage can be missing or refuse access (private windows, blocked storage): then ask each visit. */
function readDismissed(): boolean {
  try {
    return window.localStorage.getItem(DISMISSED_KEY) === '1';
  } catch {
    return false;
  }
}

function rememberDismissed(): void {
  try {
    window.localStorage.setItem(DISMISSED_KEY, '1');
  } catch {
    // Not remembered: the notice comes back on the next visit, which is the safe side.
  }
}

/**
 * The open-mode notice: nobody signs in, so anyone who reaches the server acts as an agent. It
 * says how to turn accounts on; dismissing it is remembered in this browser.
 */
export function OpenModeBanner() {
  const [dismissed, setDismissed] = useState(readDismissed);
  if (dismissed) return null;
  return (
    <div className="mode-banner" data-testid="open-mode-banner">
      <p className="mode-banner__text">
        <strong>Open mode:</strong> there is no sign-in, so anyone who can reach this server can read and change every
        ticket. To require accounts, set <code>ACCESS_MODE=accounts</code> on the server and restart it.
      </p>
      <button
        type="button"
        className="button button--ghost mode-banner__dismiss"
        aria-label="Dismiss the open mode notice"
        onClick={() => {
          rememberDismissed();
          setDismissed(true);
        }}
      >
        Dismiss
      </button>
    </div>
  );
}
