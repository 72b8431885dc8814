from django.urls import path

from . import views

app_name = "datacheck"

urlpatterns = [
    path("", views.data_list, name="list"),
    path("sources/new/", views.source_new, name="source_new"),
    path("sources/<int:datasource_id>/", views.source, name="source"),
    path("sources/<int:datasource_id>/edit/", views.source_edit, name="source_edit"),
    path("sources/<int:datasource_id>/delete/", views.source_delete, name="source_delete"),
    path("checks/<int:datacheck_id>/", views.check, name="check"),
    path("checks/<int:datacheck_id>/status/", views.check_status, name="check_status"),
    path("checks/<int:datacheck_id>/retry/", views.retry, name="retry"),
    path("checks/<int:datacheck_id>/delete/", views.check_delete, name="check_delete"),
    path("checks/<int:datacheck_id>/answer/<int:usecase_id>/", views.answer, name="answer"),
]
