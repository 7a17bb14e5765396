from django.urls import path

from events.views import event_stream

urlpatterns = [
    path("", event_stream, name="event-stream"),
]
