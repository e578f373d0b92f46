from django.urls import path

from mirps.public import views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("map/", views.map_public, name="map"),
    path("map/internal/", views.map_internal, name="map_internal"),
]
