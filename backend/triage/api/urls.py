from django.urls import path

from triage.api.views import ClassifyView, TriageStatusView

# Mounted under /api/tickets/ (the public contract's path).
classify_urlpatterns = [
    path("classify/", ClassifyView.as_view(), name="ticket-classify"),
]

urlpatterns = [
    path("status/", TriageStatusView.as_view(), name="triage-status"),
]
