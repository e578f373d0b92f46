from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from mirps.api.api import api
from mirps.core import views as core_views
from mirps.core.adminsite import site as admin_site

admin.autodiscover()  # registers each app's admin.py on our policy-checked admin site

urlpatterns = [
    path("", core_views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("mirps.accounts.urls")),
    path("registration/", include("mirps.registration.urls")),
    path("identity/", include("mirps.identity.urls")),
    path("stats/", include("mirps.stats.urls")),
    path("audit/", include("mirps.audit.urls")),
    path("plan/", include("mirps.plan.urls")),
    path("cooperation/", include("mirps.cooperation.urls")),
    path("meetings/", include("mirps.meetings.urls")),
    path("public/", include("mirps.public.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin_site.urls),
]
