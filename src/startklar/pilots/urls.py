from django.urls import path

from . import kpiviews, views

app_name = "pilots"

urlpatterns = [
    path("", views.pilot_list, name="list"),
    path("for/<int:usecase_id>/", views.create, name="create"),
    path("<int:pilot_id>/", views.detail, name="detail"),
    path("<int:pilot_id>/edit/", views.edit, name="edit"),
    path("<int:pilot_id>/start/", views.start, name="start"),
    path("<int:pilot_id>/delete/", views.delete, name="delete"),
    path("<int:pilot_id>/kpis/new/", kpiviews.kpi_create, name="kpi_create"),
    path("<int:pilot_id>/import/", kpiviews.measurements_import, name="import"),
    path("<int:pilot_id>/import/template.xlsx", kpiviews.import_template, name="import_template"),
    path("kpis/<int:kpi_id>/edit/", kpiviews.kpi_edit, name="kpi_edit"),
    path("kpis/<int:kpi_id>/delete/", kpiviews.kpi_delete, name="kpi_delete"),
    path("kpis/<int:kpi_id>/measure/", kpiviews.measure, name="measure"),
    path("kpis/<int:kpi_id>/card/", kpiviews.kpi_card, name="kpi_card"),
    path(
        "measurements/<int:measurement_id>/delete/",
        kpiviews.measurement_delete,
        name="measurement_delete",
    ),
    path("<int:pilot_id>/decision/", views.gate, name="gate"),
    path("<int:pilot_id>/decide/", views.decide, name="decide"),
]
