from django.urls import path

from tickets.api.views import (
    TicketClassifyView,
    TicketDetailView,
    TicketListCreateView,
    TicketStatsView,
)

urlpatterns = [
    path("", TicketListCreateView.as_view(), name="ticket-list"),
    path("stats/", TicketStatsView.as_view(), name="ticket-stats"),
    path("classify/", TicketClassifyView.as_view(), name="ticket-classify"),
    path("<int:pk>/", TicketDetailView.as_view(), name="ticket-detail"),
]
