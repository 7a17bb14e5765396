"""The mailbox poller: fetch unseen messages over IMAP, file each, then mark it seen.

A message is flagged `\\Seen` only after `email_receive` committed it, one message at a time. A
poller killed mid-batch therefore leaves the uncommitted messages unseen (fetched again next
time) and at worst one committed but unflagged message, which the next run recognises by its
Message-ID (unique in the database) and only flags. Nothing is lost, nothing is filed twice.
"""

from __future__ import annotations

import ipaddress
import logging
import ssl
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from imapclient import IMAPClient

from mail import services

logger = logging.getLogger(__name__)

BATCH = 50  # messages fetched per round trip


class MailboxConfigError(ValueError):
    """IMAP_URL cannot be used."""


@dataclass(frozen=True)
class Mailbox:
    host: str
    port: int
    tls: bool
    user: str
    password: str
    folder: str


def mailbox_from_url(url: str) -> Mailbox:
    """`imaps://user:pass@host[:993]/INBOX`, or `imap://` (no TLS) on a loopback host only: a
    password is never sent in the clear over a network."""
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps") or not parts.hostname:
        raise MailboxConfigError("IMAP_URL must look like imaps://user:password@host/INBOX.")
    tls = parts.scheme == "imaps"
    if not tls:
        try:
            loopback = (
                parts.hostname == "localhost" or ipaddress.ip_address(parts.hostname).is_loopback
            )
        except ValueError:
            loopback = False
        if not loopback:
            raise MailboxConfigError("imap:// (no TLS) is allowed on loopback only; use imaps://.")
    return Mailbox(
        host=parts.hostname,
        port=parts.port or (993 if tls else 143),
        tls=tls,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        folder=unquote(parts.path.lstrip("/")) or "INBOX",
    )


@dataclass
class PollResult:
    fetched: int = 0
    filed: int = 0
    ignored: int = 0
    failed: int = 0


def poll_once(mailbox: Mailbox, *, timeout: float = 30.0) -> PollResult:
    """Drain the folder's unseen messages once."""
    result = PollResult()
    context = ssl.create_default_context() if mailbox.tls else None
    with IMAPClient(
        mailbox.host, port=mailbox.port, ssl=mailbox.tls, ssl_context=context, timeout=timeout
    ) as client:
        client.login(mailbox.user, mailbox.password)
        client.select_folder(mailbox.folder)
        uids = sorted(client.search(["UNSEEN"]))
        for start in range(0, len(uids), BATCH):
            chunk = uids[start : start + BATCH]
            # PEEK: fetching must not mark anything seen; only a commit does.
            for uid, data in client.fetch(chunk, ["BODY.PEEK[]"]).items():
                raw = data.get(b"BODY[]")
                if not isinstance(raw, bytes):
                    continue
                result.fetched += 1
                try:
                    received = services.email_receive(raw=raw)
                except Exception:
                    # Left unseen: retried on the next poll, and visible in the log meanwhile.
                    logger.exception("mail: message uid %s could not be filed", uid)
                    result.failed += 1
                    continue
                if received.ignored is None:
                    result.filed += 1
                else:
                    result.ignored += 1
                client.add_flags([uid], [b"\\Seen"])
    return result
