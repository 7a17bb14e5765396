import { useId, type ReactNode } from 'react';

type Props = {
  title: string;
  /** A short status next to the title, such as that refreshing failed. */
  note?: string;
  /** Anything else next to the title, such as a count. */
  aside?: ReactNode;
  /** For a fixed heading id that links elsewhere point at (the skip link); generated otherwise. */
  headingId?: string;
  className?: string;
  /** `aria-busy` of the section, while its content loads. */
  busy?: boolean;
  children: ReactNode;
};

/** A card of the page: a section named by its heading. */
export function Panel({ title, note, aside, headingId, className, busy, children }: Props) {
  const generatedId = useId();
  const id = headingId ?? generatedId;
  return (
    <section className={className ? `panel ${className}` : 'panel'} aria-labelledby={id} aria-busy={busy}>
      <div className="panel__header">
        <h2 id={id} className="section-title">
          {title}
        </h2>
        {note ? (
          <p className="muted" role="status">
            {note}
          </p>
        ) : null}
        {aside}
      </div>
      {children}
    </section>
  );
}

/** What a panel shows when its data could not be loaded: the reason and a way to try again. */
export function LoadError({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <div className="list-state list-state--error" role="alert">
      <p>{message}</p>
      <button type="button" className="button" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
