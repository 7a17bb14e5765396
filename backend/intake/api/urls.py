from django.urls import path

from intake.api.views import TicketListCreateView

urlpatterns = [
    path("", TicketListCreateView.as_view(), name="ticket-list"),
]
