"""The addresses staff answer a pulse at: outside any organisation and without an account,
opened by the secret in the address alone."""

from django.urls import path

from . import answerviews

app_name = "people_answer"

urlpatterns = [
    path("<str:token>/", answerviews.answer, name="answer"),
    path("<str:token>/thanks/", answerviews.thanks, name="thanks"),
]
