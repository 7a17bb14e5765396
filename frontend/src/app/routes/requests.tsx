import { Outlet, useNavigate, useParams } from 'react-router';
import { RequestDetail } from '@/features/tickets/components/request-detail';
import { RequestForm } from '@/features/tickets/components/request-form';
import { RequestList } from '@/features/tickets/components/request-list';

/** A requester's page: a new request beside their own requests; a request opens on top. */
export function RequestsRoute() {
  return (
    <div className="layout layout--requester">
      <div className="layout__form">
        <section className="panel">
          <RequestForm />
        </section>
      </div>
      <div className="layout__list">
        <RequestList />
      </div>
      <Outlet />
    </div>
  );
}

export function RequestRoute() {
  const { ticketId } = useParams();
  const navigate = useNavigate();
  const id = Number(ticketId);
  if (!Number.isInteger(id) || id <= 0) return null;
  return <RequestDetail key={id} id={id} onClose={() => navigate('/')} />;
}
