from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.reports, name="list"),
    path("<int:reportrun_id>/status/", views.status, name="status"),
    path("<int:reportrun_id>/download/", views.download, name="download"),
    path("<int:reportrun_id>/retry/", views.retry, name="retry"),
    path("<int:reportrun_id>/delete/", views.delete, name="delete"),
]
