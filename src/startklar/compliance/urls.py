from django.urls import path

from . import views

app_name = "compliance"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("usecase/<int:usecase_id>/assess/", views.start_use_case, name="start_use_case"),
    path("systems/<int:aisystem_id>/assess/", views.start_system, name="start_system"),
    path("assessments/<int:assessment_id>/", views.assessment, name="assessment"),
    path("assessments/<int:assessment_id>/answer/", views.answer, name="answer"),
    path("assessments/<int:assessment_id>/recheck/", views.recheck, name="recheck"),
    path("systems/", views.systems, name="systems"),
    path("systems/export.xlsx", views.systems_export, name="systems_export"),
    path("systems/<int:aisystem_id>/", views.system, name="system"),
    path("systems/<int:aisystem_id>/edit/", views.system_edit, name="system_edit"),
    path("systems/<int:aisystem_id>/delete/", views.system_delete, name="system_delete"),
    path("literacy/", views.literacy, name="literacy"),
    path("literacy/people/", views.person_create, name="person_create"),
    path("literacy/people/<int:person_id>/", views.person, name="person"),
    path("literacy/people/<int:person_id>/delete/", views.person_delete, name="person_delete"),
    path("literacy/records/", views.training_create, name="training_create"),
    path(
        "literacy/records/<int:trainingrecord_id>/delete/",
        views.training_delete,
        name="training_delete",
    ),
    path("privacy/", views.privacy, name="privacy"),
    path("privacy/dpo/", views.privacy_dpo, name="privacy_dpo"),
]
