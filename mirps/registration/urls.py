from django.urls import path

from mirps.registration import views

app_name = "registration"
urlpatterns = [
    path("arrivals/", views.arrival_list, name="arrival_list"),
    path("arrivals/<uuid:arrival_id>/", views.arrival_detail, name="arrival_detail"),
    path("people/", views.person_search, name="person_search"),
    path("people/<uuid:person_id>/", views.person_detail, name="person_detail"),
    path("register/", views.register, name="register"),
    path("register/candidates/", views.candidates, name="candidates"),
    path("register/draft/", views.draft_save, name="draft_save"),
    path("register/draft/<uuid:draft_id>/delete/", views.draft_delete, name="draft_delete"),
    path("follow-up/", views.followup_queue, name="followup_queue"),
    path("follow-up/<uuid:arrival_id>/take/", views.followup_take, name="followup_take"),
]
