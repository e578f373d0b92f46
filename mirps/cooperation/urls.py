from django.urls import path

from mirps.cooperation import views

app_name = "cooperation"
urlpatterns = [
    path("interventions/", views.intervention_list, name="intervention_list"),
    path("interventions/new/", views.intervention_create, name="intervention_create"),
    path("interventions/hxl.<str:fmt>", views.intervention_export, name="intervention_export"),
    path("interventions/template.<str:fmt>", views.intervention_template, name="intervention_template"),
    path("interventions/iati.xml", views.intervention_iati, name="intervention_iati"),
    path("interventions/import/", views.import_upload, name="import_upload"),
    path("interventions/import/<uuid:pk>/", views.import_review, name="import_review"),
    path("interventions/<uuid:pk>/", views.intervention_detail, name="intervention_detail"),
    path("interventions/<uuid:pk>/edit/", views.intervention_edit, name="intervention_edit"),
    path("interventions/<uuid:pk>/publish/", views.intervention_publish, name="intervention_publish"),
    path("pledges/", views.pledge_list, name="pledge_list"),
    path("pledges/new/", views.pledge_create, name="pledge_create"),
    path("pledges/<uuid:pk>/edit/", views.pledge_edit, name="pledge_edit"),
    path("pledges/<uuid:pk>/publish/", views.pledge_publish, name="pledge_publish"),
    path("needs/", views.need_list, name="need_list"),
    path("needs/new/", views.need_create, name="need_create"),
    path("needs/<int:pk>/edit/", views.need_edit, name="need_edit"),
    path("funding/", views.funding_page, name="funding"),
]
