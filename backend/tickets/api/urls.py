from django.urls import path

from tickets.api.views import TicketDetailView, TicketStatsView

urlpatterns = [
    path("stats/", TicketStatsView.as_view(), name="ticket-stats"),
    path("<int:pk>/", TicketDetailView.as_view(), name="ticket-detail"),
]
