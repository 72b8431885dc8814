from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.create, name="create"),
    path("sample-size/", views.sample_size, name="sample_size"),
    path("<int:reviewplan_id>/", views.plan, name="plan"),
    path("<int:reviewplan_id>/edit/", views.edit, name="edit"),
    path("<int:reviewplan_id>/rubric/", views.rubric, name="rubric"),
    path("<int:reviewplan_id>/delete/", views.delete, name="delete"),
    path("<int:reviewplan_id>/items/", views.items, name="items"),
    path("<int:reviewplan_id>/items/upload/", views.upload, name="upload"),
    path("<int:reviewplan_id>/next/", views.next_item, name="next"),
    path("items/<int:reviewitem_id>/", views.judge, name="judge"),
    path("items/<int:reviewitem_id>/settle/", views.settle, name="settle"),
    path("alerts/<int:reviewalert_id>/acknowledge/", views.acknowledge, name="acknowledge"),
]
