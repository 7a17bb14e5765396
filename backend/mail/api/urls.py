from django.urls import path

from mail.api.views import AttachmentView, EmailRawView, InboundEmailView, TicketEmailsView

urlpatterns = [
    path("inbound/email/", InboundEmailView.as_view(), name="mail-inbound"),
    path("tickets/<int:pk>/emails/", TicketEmailsView.as_view(), name="mail-ticket-emails"),
    path("mail/attachments/<int:pk>/", AttachmentView.as_view(), name="mail-attachment"),
    path("mail/emails/<int:pk>/raw/", EmailRawView.as_view(), name="mail-email-raw"),
]
