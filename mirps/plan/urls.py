from __future__ import annotations

from django.urls import path

from mirps.plan import views

app_name = "plan"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("commitments/", views.commitment_list, name="commitment_list"),
    path("commitments/new/", views.commitment_new, name="commitment_new"),
    path("commitments/<int:pk>/", views.commitment_detail, name="commitment_detail"),
    path("commitments/<int:pk>/edit/", views.commitment_edit, name="commitment_edit"),
    path("commitments/<int:pk>/indicators/new/", views.indicator_new, name="indicator_new"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("plans/<int:pk>/publish/", views.plan_publish, name="plan_publish"),
    path("commitments/<int:pk>/report/", views.report_new, name="report_new"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("reports/<int:pk>/correct/", views.report_correct, name="report_correct"),
    path("reports/<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("reports/<int:pk>/review/", views.report_review, name="report_review"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/remove/", views.evidence_remove, name="evidence_remove"),
    path("review/", views.review_queue, name="review_queue"),
    path("periods/", views.periods, name="periods"),
    path("periods/<int:pk>/close/", views.period_close, name="period_close"),
    path("export.xlsx", views.export_xlsx, name="export"),
]
