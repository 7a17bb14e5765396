"""The mailbox poller against a real IMAP server (dovecot on loopback, started by the tests)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from imapclient import IMAPClient
from pytest_django import Settings

from mail import services
from mail.models import Email, Kind
from mail.poller import MailboxConfigError, mailbox_from_url, poll_once
from mail.tests.conftest import ImapServer, make_email
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def _append(server: ImapServer, messages: list[bytes]) -> None:
    with IMAPClient("127.0.0.1", port=server.port, ssl=False) as client:
        client.login(server.user, server.password)
        for raw in messages:
            client.append("INBOX", raw)


def _unseen(server: ImapServer) -> int:
    with IMAPClient("127.0.0.1", port=server.port, ssl=False) as client:
        client.login(server.user, server.password)
        client.select_folder("INBOX", readonly=True)
        return len(client.search(["UNSEEN"]))


def _batch(n: int) -> list[bytes]:
    return [
        make_email(sender=f"person{i}@customer.example", subject=f"Problem {i}", message_id=f"m{i}")
        for i in range(n)
    ]


def test_poll_files_each_message_and_marks_it_seen(imap_server: ImapServer) -> None:
    _append(imap_server, _batch(5))
    result = poll_once(mailbox_from_url(imap_server.url))
    assert (result.fetched, result.filed, result.ignored, result.failed) == (5, 5, 0, 0)
    assert Ticket.objects.count() == 5
    assert _unseen(imap_server) == 0
    # Nothing new: the next poll fetches nothing.
    assert poll_once(mailbox_from_url(imap_server.url)).fetched == 0


def test_killed_between_commit_and_flag_loses_and_duplicates_nothing(
    imap_server: ImapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worst moment to die: a message committed but not yet flagged seen. The poller is
    stopped there (on the 3rd of 6); the next run re-fetches the unflagged ones and files only
    those the database does not hold yet."""
    _append(imap_server, _batch(6))
    real_add_flags = IMAPClient.add_flags
    calls = {"n": 0}

    def dying_add_flags(self: IMAPClient, *args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt("killed")  # not an Exception: nothing in poll_once catches it
        return real_add_flags(self, *args, **kwargs)

    monkeypatch.setattr(IMAPClient, "add_flags", dying_add_flags)
    with pytest.raises(KeyboardInterrupt):
        poll_once(mailbox_from_url(imap_server.url))
    assert Ticket.objects.count() == 3  # the third committed, then the kill
    assert _unseen(imap_server) == 4  # only two were flagged
    monkeypatch.setattr(IMAPClient, "add_flags", real_add_flags)

    result = poll_once(mailbox_from_url(imap_server.url))
    assert (result.fetched, result.filed, result.ignored) == (4, 3, 1)  # 1: the duplicate
    assert Ticket.objects.count() == 6
    assert Email.objects.filter(kind=Kind.REQUEST).count() == 6
    assert sorted(Ticket.objects.values_list("title", flat=True)) == [
        f"Problem {i}" for i in range(6)
    ]
    assert _unseen(imap_server) == 0


def test_a_message_that_fails_to_file_stays_unseen(
    imap_server: ImapServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _append(imap_server, _batch(2))

    def broken(*, raw: bytes) -> Any:
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(services, "email_receive", broken)
    result = poll_once(mailbox_from_url(imap_server.url))
    assert (result.fetched, result.failed) == (2, 2)
    assert _unseen(imap_server) == 2


def test_the_command_drains_the_configured_mailbox(
    imap_server: ImapServer, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.IMAP_URL = imap_server.url
    _append(imap_server, [*_batch(2), make_email(headers={"Auto-Submitted": "auto-replied"})])
    call_command("poll_mailbox", once=True)
    assert "fetched 3: filed 2, ignored 1, failed 0" in capsys.readouterr().out
    assert Ticket.objects.count() == 2


def test_wrong_password_raises(imap_server: ImapServer) -> None:
    from imapclient.exceptions import LoginError

    url = imap_server.url.replace(imap_server.password, "nope")
    with pytest.raises(LoginError):
        poll_once(mailbox_from_url(url))


def test_mailbox_urls() -> None:
    box = mailbox_from_url("imaps://desk%40corp.example:p%3Ass@imap.corp.example/Support%20In")
    assert (box.host, box.port, box.tls, box.user, box.password, box.folder) == (
        "imap.corp.example",
        993,
        True,
        "desk@corp.example",
        "p:ss",
        "Support In",
    )
    assert mailbox_from_url("imap://u:p@127.0.0.1:1143").folder == "INBOX"
    with pytest.raises(MailboxConfigError):
        mailbox_from_url("imap://u:p@imap.corp.example/INBOX")  # plain text over a network
    with pytest.raises(MailboxConfigError):
        mailbox_from_url("pop3://u:p@host/")
