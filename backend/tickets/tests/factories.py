from __future__ import annotations

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
