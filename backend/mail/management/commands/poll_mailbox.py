"""Poll the IMAP_URL mailbox every IMAP_POLL_INTERVAL seconds (or once with --once)."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections

from mail.poller import MailboxConfigError, mailbox_from_url, poll_once

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Fetch new mail from IMAP_URL and file it (the worker runs this beside db_worker)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Drain the mailbox once, then exit."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.IMAP_URL:
            raise CommandError("IMAP_URL is not set.")
        try:
            mailbox = mailbox_from_url(settings.IMAP_URL)
        except MailboxConfigError as exc:
            raise CommandError(str(exc)) from exc
        while True:
            try:
                result = poll_once(mailbox)
                if result.fetched or options["once"]:
                    self.stdout.write(
                        f"fetched {result.fetched}: filed {result.filed}, "
                        f"ignored {result.ignored}, failed {result.failed}"
                    )
            except Exception:
                if options["once"]:
                    raise
                # The server is down or the password changed: try again next round.
                logger.exception("mail: polling %s failed", mailbox.host)
            if options["once"]:
                return
            # A long-running loop: drop a connection the database closed meanwhile.
            close_old_connections()
            time.sleep(settings.IMAP_POLL_INTERVAL)
