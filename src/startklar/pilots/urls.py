from django.urls import path

from . import views

app_name = "pilots"

urlpatterns = [
    path("", views.pilot_list, name="list"),
    path("for/<int:usecase_id>/", views.create, name="create"),
    path("<int:pilot_id>/", views.detail, name="detail"),
    path("<int:pilot_id>/edit/", views.edit, name="edit"),
    path("<int:pilot_id>/start/", views.start, name="start"),
    path("<int:pilot_id>/delete/", views.delete, name="delete"),
]
