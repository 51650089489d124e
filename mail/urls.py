from django.urls import path

from mail import views

app_name = "mail"
urlpatterns = [
    path("dev/outbox/", views.outbox, name="outbox"),
    path("dev/outbox/html/", views.outbox_html, name="outbox_html"),
    path("mail/unsubscribe/", views.unsubscribe, name="unsubscribe"),
]
