from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from audit.views import TicketHistoryView
from core.docs import docs_view
from core.views import health, web_app
from triage.api.urls import classify_urlpatterns

urlpatterns = [
    path("api/health/", health, name="health"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", docs_view, name="docs"),
    path("api/tickets/<int:pk>/history/", TicketHistoryView.as_view(), name="ticket-history"),
    path("api/tickets/", include("intake.api.urls")),
    path("api/tickets/", include(classify_urlpatterns)),
    path("api/tickets/", include("tickets.api.urls")),
    path("api/triage/", include("triage.api.urls")),
    path("api/events/", include("events.urls")),
    re_path(r"^(?!api/|static/).*$", web_app, name="web-app"),
]

handler400 = "core.errors.handler400"
handler404 = "core.errors.handler404"
handler500 = "core.errors.handler500"
