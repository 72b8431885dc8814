from django.urls import path

from . import views

app_name = "readiness"

urlpatterns = [
    path("", views.rounds, name="rounds"),
    path("new/", views.round_create, name="create"),
    path("<int:round_id>/", views.round_detail, name="round"),
    path("<int:round_id>/respondents/", views.respondent_add, name="respondent_add"),
    path(
        "<int:round_id>/respondents/<int:respondent_id>/remove/",
        views.respondent_remove,
        name="respondent_remove",
    ),
    path("<int:round_id>/answer/", views.answer, name="answer"),
    path("<int:round_id>/submit/", views.submit, name="submit"),
    path("<int:round_id>/close/", views.close, name="close"),
    path("<int:round_id>/delete/", views.delete, name="delete"),
    path("<int:round_id>/results/", views.results, name="results"),
    path("<int:round_id>/export.json", views.export, name="export"),
]
