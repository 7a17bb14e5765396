from django.urls import path

from triage.api.views import TriageStatusView

urlpatterns = [
    path("status/", TriageStatusView.as_view(), name="triage-status"),
]
