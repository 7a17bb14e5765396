from django.urls import path

from routing.api.views import TeamDetailView, TeamListView

urlpatterns = [
    path("", TeamListView.as_view(), name="teams"),
    path("<int:pk>/", TeamDetailView.as_view(), name="team-detail"),
]
