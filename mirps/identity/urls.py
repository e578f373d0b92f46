from django.urls import path

from mirps.identity import views

app_name = "identity"
urlpatterns = [
    path("review/", views.queue, name="queue"),
    path("review/<uuid:item_id>/", views.compare, name="compare"),
    path("review/<uuid:item_id>/decide", views.decide, name="decide"),
    path("person/<uuid:person_id>/", views.cluster, name="cluster"),
    path("person/<uuid:person_id>/split", views.split, name="split"),
    path("change/<uuid:change_id>/undo", views.undo, name="undo"),
    path("runs/", views.runs, name="runs"),
    path("runs/start", views.run_start, name="run_start"),
    path("runs/thresholds", views.thresholds, name="thresholds"),
    path("runs/train-from-decisions", views.train_from_decisions, name="train_from_decisions"),
    path("runs/<int:run_id>/progress", views.run_progress, name="run_progress"),
]
