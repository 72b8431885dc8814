from django.urls import path

from . import views

app_name = "usecases"

urlpatterns = [
    path("", views.use_case_list, name="list"),
    path("plan/", views.plan, name="plan"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/entry/", views.entry, name="entry"),
    path("pain-points/", views.pain_points, name="pain"),
    path("new/", views.create, name="create"),
    path("weights/", views.weights, name="weights"),
    path("export.xlsx", views.export, name="export"),
    path("import/", views.import_file, name="import"),
    path("<int:usecase_id>/", views.detail, name="detail"),
    path("<int:usecase_id>/edit/", views.edit, name="edit"),
    path("<int:usecase_id>/delete/", views.delete, name="delete"),
    path("<int:usecase_id>/status/", views.change_status, name="status"),
    path("<int:usecase_id>/scores/", views.scores, name="scores"),
    path("workshops/", views.workshops, name="workshops"),
    path("workshops/<int:workshop_id>/", views.workshop, name="workshop"),
    path("workshops/<int:workshop_id>/vote/", views.vote, name="vote"),
    path("workshops/<int:workshop_id>/reveal/", views.reveal, name="reveal"),
    path("workshops/<int:workshop_id>/agree/", views.agree, name="agree"),
    path("workshops/<int:workshop_id>/close/", views.close_workshop, name="close"),
    path("workshops/<int:workshop_id>/delete/", views.delete_workshop, name="workshop_delete"),
]
