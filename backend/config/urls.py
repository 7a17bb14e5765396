from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from accounts.api.urls import auth_urlpatterns, users_urlpatterns
from audit.views import TicketHistoryView
from core.docs import docs_view
from core.views import health, web_app
from triage.api.urls import classify_urlpatterns

urlpatterns = [
    path("api/health/", health, name="health"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", docs_view, name="docs"),
    path("api/auth/", include(auth_urlpatterns)),
    path("api/users/", include(users_urlpatterns)),
    path("api/tickets/<int:pk>/history/", TicketHistoryView.as_view(), name="ticket-history"),
    path("api/", include("mail.api.urls")),
    path("api/tickets/", include("conversations.api.urls")),
    path("api/tickets/", include("intake.api.urls")),
    path("api/tickets/", include(classify_urlpatterns)),
    path("api/tickets/", include("tickets.api.urls")),
    path("api/triage/", include("triage.api.urls")),
    path("api/teams/", include("routing.api.urls")),
    path("api/events/", include("events.urls")),
    path("api/sla/", include("sla.api.urls")),
    path("admin/", admin.site.urls),
    re_path(r"^(?!api/|static/|admin/).*$", web_app, name="web-app"),
]

handler400 = "core.errors.handler400"
handler404 = "core.errors.handler404"
handler500 = "core.errors.handler500"
