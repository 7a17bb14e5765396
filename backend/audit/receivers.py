"""Stamp each history row with the current change source and actor (see audit.context)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

from audit.context import current_actor_id, current_source


@receiver(pre_create_historical_record)
def stamp_source(sender: Any, history_instance: Any, **kwargs: Any) -> None:
    # A service may name the cause of one save on the instance (`_history_source`, e.g.
    # tickets.services.ticket_reopen's `requester_reply`); otherwise the context's source.
    instance = kwargs.get("instance")
    history_instance.history_source = getattr(instance, "_history_source", None) or (
        current_source()
    )
    if history_instance.history_user_id is None:
        history_instance.history_user_id = current_actor_id()
