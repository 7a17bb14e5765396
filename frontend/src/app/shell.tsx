import type { ReactNode } from 'react';
import { useLiveStatus } from '@/lib/live-status';

const LIVE_TEXT = {
  connecting: 'Connecting…',
  live: 'Live',
  polling: 'Refreshing every 5 s',
} as const;

function LiveIndicator() {
  const status = useLiveStatus();
  return (
    <p className={`live live--${status}`} title="How this page keeps up with changes">
      <span className="live__dot" aria-hidden="true" />
      {LIVE_TEXT[status]}
    </p>
  );
}

export function Shell({ children }: { children: ReactNode }) {
  return (
    <>
      <a className="skip-link" href="#tickets-heading">
        Skip to tickets
      </a>
      <header className="app-header">
        <div className="app-header__inner">
          <h1 className="brand">
            <span className="brand__mark" aria-hidden="true">
              ◆
            </span>{' '}
            Triagedesk
          </h1>
          <LiveIndicator />
        </div>
      </header>
      <main className="app-main">{children}</main>
    </>
  );
}
