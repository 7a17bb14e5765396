"""SLA breach notices through a real SMTP server (aiosmtpd on loopback): the sweep's
`SlaBreached` emails the assignee, else the team's active agents, else nobody; once per ticket and
target however often the event is delivered; never the requester; nothing with the setting off."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from accounts.access import Caller
from accounts.models import Role, User
from core.domain_events import dispatch
from mail.models import Delivery, Email, Kind
from mail.selectors import email_get, email_list
from mail.services import email_receive
from mail.tests.conftest import SmtpSink, make_email
from routing.models import Team
from sla.domain_events import FIRST_RESPONSE, RESOLUTION, SlaBreached
from sla.services import sla_sweep
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

REQUESTER = "carol@customer.example"


@pytest.fixture(autouse=True)
def _policies(sla_defaults: None) -> None:
    """Breaches need the default policies (see `sla_defaults`)."""


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _ticket(capture: DjangoCaptureOnCommitCallbacks) -> Ticket:
    # On commit, the sla app gives the new ticket its targets.
    with capture(execute=True):
        received = email_receive(raw=make_email(message_id="origin", subject="Printer jams"))
    assert received.ticket_id is not None
    return Ticket.objects.get(pk=received.ticket_id)


def _agent(email: str, *, active: bool = True, role: str = Role.AGENT) -> User:
    return User.objects.create(email=email, name=email, role=role, is_active=active)


def _sweep_all(capture: DjangoCaptureOnCommitCallbacks) -> list[SlaBreached]:
    """Run the real breach sweep far enough ahead that both targets are breached."""
    with capture(execute=True):
        return sla_sweep(now=dt.datetime.now(dt.UTC) + dt.timedelta(days=60))


def _breach_mail(sink: SmtpSink) -> list[tuple[list[str], str]]:
    return [
        (rcpt, str(message["Subject"]))
        for _, rcpt, message in sink.messages
        if message["Subject"].startswith("SLA breached")
    ]


def test_the_assignee_is_notified_once_per_target_even_when_the_event_comes_twice(
    smtp_server: SmtpSink, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    ticket = _ticket(django_capture_on_commit_callbacks)
    ann = _agent("ann@desk.example")
    team = Team.objects.create(name="Hardware")
    team.members.add(_agent("bob@desk.example"))
    Ticket.objects.filter(pk=ticket.pk).update(assignee=ann, team=team)

    breaches = _sweep_all(django_capture_on_commit_callbacks)
    assert {(b.ticket_id, b.target) for b in breaches} == {
        (ticket.pk, FIRST_RESPONSE),
        (ticket.pk, RESOLUTION),
    }
    # The same events again (a retried handler, a second subscriber run): nothing more is sent.
    with django_capture_on_commit_callbacks(execute=True):
        for breach in breaches:
            dispatch(breach)
    # Delivery is synchronous here (immediate tasks; the server stores a message before its 250).

    notices = Email.objects.filter(ticket=ticket, kind=Kind.SLA_BREACH).order_by("sla_target")
    assert [(e.sla_target, e.recipient, e.status) for e in notices] == [
        (FIRST_RESPONSE, "ann@desk.example", Delivery.SENT),
        (RESOLUTION, "ann@desk.example", Delivery.SENT),
    ]
    sent = _breach_mail(smtp_server)
    assert len(sent) == 2 and all(rcpt == ["ann@desk.example"] for rcpt, _ in sent)
    subjects = sorted(subject for _, subject in sent)
    assert subjects == [
        f"SLA breached: first response on ticket #{ticket.pk} (Printer jams)",
        f"SLA breached: resolution on ticket #{ticket.pk} (Printer jams)",
    ]
    message = next(m for _, _, m in smtp_server.messages if "first response" in m["Subject"])
    assert message["Auto-Submitted"] == "auto-generated"
    assert "In-Reply-To" not in message and "References" not in message
    assert "Reply-To" not in message
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert plain is not None and f"Ticket #{ticket.pk}" in plain.get_content()
    assert html is not None and "<p>" in html.get_content()
    # The requester never got it, and does not see it on the ticket; staff do.
    assert not any(
        m["Subject"].startswith("SLA breached")
        for _, rcpt, m in smtp_server.messages
        if rcpt == [REQUESTER]
    )
    requester = User.objects.get(email=REQUESTER)
    as_requester = Caller(role=Role.REQUESTER, user=requester)
    assert Kind.SLA_BREACH not in {
        e.kind for e in email_list(caller=as_requester, ticket_id=ticket.pk)
    }
    assert email_get(caller=as_requester, email_id=notices[0].pk) is None
    as_agent = Caller(role=Role.AGENT, user=ann)
    assert Kind.SLA_BREACH in {e.kind for e in email_list(caller=as_agent, ticket_id=ticket.pk)}


def test_an_unassigned_ticket_notifies_its_teams_active_agents(
    smtp_server: SmtpSink, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    ticket = _ticket(django_capture_on_commit_callbacks)
    team = Team.objects.create(name="Hardware")
    team.members.add(
        _agent("bob@desk.example"),
        _agent("dan@desk.example", role=Role.ADMIN),
        _agent("gone@desk.example", active=False),
        User.objects.get(email=REQUESTER),  # a requester on the team is still not emailed
    )
    Team.objects.create(name="Other").members.add(_agent("eve@desk.example"))
    Ticket.objects.filter(pk=ticket.pk).update(team=team, assignee=None)

    with django_capture_on_commit_callbacks(execute=True):
        dispatch(SlaBreached(ticket_id=ticket.pk, target=FIRST_RESPONSE))
        dispatch(SlaBreached(ticket_id=ticket.pk, target=FIRST_RESPONSE))

    assert sorted(rcpt[0] for rcpt, _ in _breach_mail(smtp_server)) == [
        "bob@desk.example",
        "dan@desk.example",
    ]
    assert Email.objects.filter(kind=Kind.SLA_BREACH, status=Delivery.SENT).count() == 2


def test_no_assignee_and_no_team_notifies_nobody(
    smtp_server: SmtpSink, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    ticket = _ticket(django_capture_on_commit_callbacks)
    _agent("ann@desk.example")
    Ticket.objects.filter(pk=ticket.pk).update(team=None, assignee=None)
    breaches = _sweep_all(django_capture_on_commit_callbacks)
    assert {b.ticket_id for b in breaches} == {ticket.pk}
    assert _breach_mail(smtp_server) == []
    assert not Email.objects.filter(kind=Kind.SLA_BREACH).exists()


def test_setting_off_sends_nothing(
    smtp_server: SmtpSink,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    settings: Settings,
) -> None:
    settings.MAIL_NOTIFY_SLA_BREACH = False
    ticket = _ticket(django_capture_on_commit_callbacks)
    Ticket.objects.filter(pk=ticket.pk).update(assignee=_agent("ann@desk.example"))
    breaches = _sweep_all(django_capture_on_commit_callbacks)
    assert {b.ticket_id for b in breaches} == {ticket.pk}
    assert _breach_mail(smtp_server) == []
    assert not Email.objects.filter(kind=Kind.SLA_BREACH).exists()


def test_the_database_refuses_a_second_notice_for_the_same_ticket_target_and_recipient(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    ticket = _ticket(django_capture_on_commit_callbacks)
    fields = {
        "ticket": ticket,
        "direction": "out",
        "kind": Kind.SLA_BREACH,
        "sla_target": RESOLUTION,
        "sender": "support@desk.example",
        "recipient": "ann@desk.example",
        "raw": b"x",
        "status": Delivery.QUEUED,
    }
    Email.objects.create(message_id="one@desk.example", **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Email.objects.create(message_id="two@desk.example", **fields)
    # A breach notice must name a valid target, and no other kind names one.
    with pytest.raises(IntegrityError), transaction.atomic():
        Email.objects.create(message_id="three@desk.example", **{**fields, "sla_target": ""})
    with pytest.raises(IntegrityError), transaction.atomic():
        Email.objects.create(message_id="four@desk.example", **{**fields, "kind": Kind.RESOLVED})
