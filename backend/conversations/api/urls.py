from django.urls import path

from conversations.api.views import MessageListView

urlpatterns = [
    path("<int:pk>/messages/", MessageListView.as_view(), name="ticket-messages"),
]
