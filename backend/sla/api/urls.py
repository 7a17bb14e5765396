from django.urls import path

from sla.api.views import CalendarView, PolicyDetailView, PolicyListView

urlpatterns = [
    path("policies/", PolicyListView.as_view(), name="sla-policies"),
    path("policies/<str:priority>/", PolicyDetailView.as_view(), name="sla-policy"),
    path("calendar/", CalendarView.as_view(), name="sla-calendar"),
]
