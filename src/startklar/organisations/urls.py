from django.urls import path

from . import views

app_name = "organisations"

# Everything under o/<org_slug>/ is organisation-scoped and must be wrapped in @org_view.
urlpatterns = [
    path("", views.home, name="home"),
    path("o/", views.organisation_list, name="list"),
    path("o/new/", views.organisation_create, name="create"),
    path("o/import/", views.archive_import, name="import"),
    path("o/<slug:org_slug>/", views.overview, name="overview"),
    path("o/<slug:org_slug>/profile/", views.profile_edit, name="profile"),
    path("o/<slug:org_slug>/members/", views.members, name="members"),
    path("o/<slug:org_slug>/security/", views.security, name="security"),
    path("o/<slug:org_slug>/members/<int:membership_id>/role/", views.member_role, name="role"),
    path(
        "o/<slug:org_slug>/members/<int:membership_id>/remove/",
        views.member_remove,
        name="remove",
    ),
    path("o/<slug:org_slug>/invitations/", views.invitation_create, name="invite"),
    path(
        "o/<slug:org_slug>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="revoke",
    ),
    path("o/<slug:org_slug>/api-tokens/", views.api_tokens, name="api_tokens"),
    path("o/<slug:org_slug>/api-tokens/new/", views.api_token_create, name="api_token_create"),
    path(
        "o/<slug:org_slug>/api-tokens/<int:apitoken_id>/revoke/",
        views.api_token_revoke,
        name="api_token_revoke",
    ),
    path("o/<slug:org_slug>/audit/", views.audit_log, name="audit"),
    path("o/<slug:org_slug>/audit/export.xlsx", views.audit_export, name="audit_export"),
    path("o/<slug:org_slug>/data/", views.data, name="data"),
    path("o/<slug:org_slug>/data/archive.zip", views.archive_export, name="archive"),
    path("o/<slug:org_slug>/data/delete/", views.delete, name="delete"),
    path("o/<slug:org_slug>/data/delete/cancel/", views.cancel_deletion, name="cancel_deletion"),
    path("o/<slug:org_slug>/leave/", views.leave, name="leave"),
    path("me/data.json", views.my_data, name="my_data"),
    path("me/delete/", views.delete_account, name="delete_account"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation"),
]
