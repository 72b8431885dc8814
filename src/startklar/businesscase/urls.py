from django.urls import path

from . import views

app_name = "businesscase"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("for/<int:usecase_id>/", views.create, name="create"),
    path("<int:businesscase_id>/", views.editor, name="editor"),
    path("<int:businesscase_id>/settings/", views.update_settings, name="settings"),
    path("<int:businesscase_id>/items/", views.add_item, name="add_item"),
    path("<int:businesscase_id>/actuals/", views.actuals, name="actuals"),
    path("<int:businesscase_id>/decision/", views.decision, name="decision"),
    path("<int:businesscase_id>/decide/", views.decide, name="decide"),
    path("<int:businesscase_id>/delete/", views.delete, name="delete"),
    path("items/<int:lineitem_id>/", views.update_item, name="update_item"),
    path("items/<int:lineitem_id>/delete/", views.delete_item, name="delete_item"),
]
