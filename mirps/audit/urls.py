from django.urls import path

from mirps.audit import views

app_name = "audit"
urlpatterns = [path("", views.events, name="events")]
