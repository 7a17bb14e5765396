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

type Props = {
  children: ReactNode;
  /** Where the skip link jumps to (a heading's id) and what it says; none without one. */
  skipTo?: { target: string; label: string };
  /** Show whether the page is live (only where the event stream is subscribed). */
  live?: boolean;
  /** A notice across the top, such as the open-mode banner. */
  banner?: ReactNode;
  /** The signed-in user's area at the header's end. */
  account?: ReactNode;
};

export function Shell({ children, skipTo, live = false, banner, account }: Props) {
  return (
    <>
      {skipTo ? (
        <a className="skip-link" href={`#${skipTo.target}`}>
          {skipTo.label}
        </a>
      ) : null}
      <header className="app-header">
        {banner}
        <div className="app-header__inner">
          <h1 className="brand">
            <span className="brand__mark" aria-hidden="true">
              ◆
            </span>{' '}
            Triagedesk
          </h1>
          <div className="app-header__end">
            {live ? <LiveIndicator /> : null}
            {account}
          </div>
        </div>
      </header>
      <main className="app-main">{children}</main>
    </>
  );
}
