import { useLocation, useNavigate, useParams } from 'react-router';
import { TicketDetail } from '@/features/tickets/components/ticket-detail';

export function TicketRoute() {
  const { ticketId } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const id = Number(ticketId);
  const close = () => navigate({ pathname: '/', search: location.search });

  if (!Number.isInteger(id) || id <= 0) return null;
  return <TicketDetail key={id} id={id} onClose={close} />;
}
