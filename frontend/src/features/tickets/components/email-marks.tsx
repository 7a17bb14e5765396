import type { TicketEmail } from '@/types/models';

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

const DELIVERY_LABELS: Record<string, string> = {
  queued: 'Email queued',
  sent: 'Emailed',
  failed: 'Email delivery failed',
};

/**
 * What email adds to a thread message: where it came from or went, its attachments (downloads,
 * never shown inline), the original for agents, and a failed delivery, said in words.
 */
export function EmailMarks({ email }: { email: TicketEmail }) {
  const outbound = email.direction === 'out';
  const failed = email.status === 'failed';
  return (
    <div className="email-marks">
      <p className="email-marks__line">
        {outbound ? (
          <span className={failed ? 'email-marks__state email-marks__state--failed' : 'email-marks__state'}>
            {DELIVERY_LABELS[email.status] ?? email.status} to {email.recipient}
          </span>
        ) : (
          <span className="email-marks__state">Via email from {email.sender}</span>
        )}
        {failed && email.last_error ? <span className="muted"> ({email.last_error})</span> : null}
        {email.raw_url ? (
          <>
            {' · '}
            <a href={email.raw_url} download>
              View original
            </a>
          </>
        ) : null}
      </p>
      {email.attachments.length > 0 ? (
        <ul className="email-marks__files" aria-label="Attachments">
          {email.attachments.map((file) => (
            <li key={file.id}>
              <a href={file.url} download={file.filename}>
                {file.filename}
              </a>{' '}
              <span className="muted">({formatSize(file.size)})</span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
