from django.urls import path

from mirps.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/publish/", views.meeting_publish, name="publish"),
    path("<int:pk>/agreements/new/", views.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/status/", views.agreement_status, name="agreement_status"),
    path("agreements/<int:pk>/notes/", views.note_add, name="note_add"),
]
