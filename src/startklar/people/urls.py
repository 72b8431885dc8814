from django.urls import include, path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.pulse_list, name="list"),
    path("pulses/new/", views.pulse_new, name="pulse_new"),
    path("pulses/<int:pulse_id>/", views.pulse, name="pulse"),
    path("pulses/<int:pulse_id>/open/", views.pulse_open, name="pulse_open"),
    path("pulses/<int:pulse_id>/close/", views.pulse_close, name="pulse_close"),
    path("pulses/<int:pulse_id>/delete/", views.pulse_delete, name="pulse_delete"),
    path("pulses/<int:pulse_id>/codes/", views.codes, name="codes"),
    path("pulses/<int:pulse_id>/poster/", views.poster, name="poster"),
    path("pulses/<int:pulse_id>/results/", views.results, name="results"),
    path("pulses/<int:pulse_id>/comments/", views.comments, name="comments"),
    path("pulses/<int:pulse_id>/comments/review/", views.comment_review, name="comment_review"),
    # the works council's record (council_views) and the communication plan
    path("council/", include("startklar.people.council_urls")),
    path("communication/", include("startklar.people.communication_urls")),
]
