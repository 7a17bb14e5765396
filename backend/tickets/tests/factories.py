from __future__ import annotations

from typing import TYPE_CHECKING, Any

import factory

from tickets.models import Category, Priority, Status, Ticket


class TicketFactory(factory.django.DjangoModelFactory[Ticket]):
    class Meta:
        model = Ticket

    title = factory.Faker("sentence", nb_words=6)
    description = factory.Faker("paragraph", nb_sentences=3)
    category = factory.Iterator(Category.values)
    priority = factory.Iterator(Priority.values)
    status = Status.OPEN

    if TYPE_CHECKING:
        # Calling the factory creates and returns a Ticket (factory_boy's metaclass __call__),
        # but that __call__ is unannotated, so mypy would take the result for a TicketFactory.
        def __new__(cls, **kwargs: Any) -> Ticket: ...  # type: ignore[misc]
