from __future__ import annotations

from django.urls import path, re_path

from mirps.stats import views

app_name = "stats"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    re_path(
        r"^table/(?P<name>[a-z_]+)\.(?P<fmt>csv|xlsx)$", views.table_export, name="table_export"
    ),
    path("people/", views.people, name="people"),
    re_path(
        r"^people/(?P<name>[a-z_]+)\.(?P<fmt>csv|xlsx)$", views.people_export, name="people_export"
    ),
]
