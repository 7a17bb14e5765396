"""`manage.py ensure_admin`: run at every start (make serve, the container's entry point).

With ADMIN_EMAIL and ADMIN_PASSWORD set and no admin yet, creates that admin; never changes an
existing user. With no admin and no such settings, logs how to make one.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts import services

logger = logging.getLogger("accounts")


class Command(BaseCommand):
    help = "Create the first admin from ADMIN_EMAIL/ADMIN_PASSWORD when no admin exists."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            outcome = services.admin_ensure(
                email=settings.ADMIN_EMAIL or None, password=settings.ADMIN_PASSWORD or None
            )
        except ValidationError as exc:
            raise CommandError(f"ADMIN_PASSWORD is refused: {' '.join(exc.messages)}") from exc
        if outcome["created"]:
            logger.info(outcome["message"])
        elif outcome["message"]:
            logger.warning(outcome["message"])
