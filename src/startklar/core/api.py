"""Shared pieces of the JSON API: the body of an error answer and the error statuses an
operation documents in its schema (``response={200: Out, **ORGANISATION_ERRORS}``)."""

from __future__ import annotations

from ninja import Schema


class Error(Schema):
    detail: str
    code: str | None = None  # a machine-readable reason where there is one


# Not signed in: no session, or an API token that is unknown, revoked or inactive (``code``).
SIGNED_IN_ERRORS: dict[int, type[Schema]] = {401: Error}
# Below the operation's role or without the two-factor sign-in the organisation requires (403),
# or not a member / no such organisation (404, as if it did not exist).
ORGANISATION_ERRORS: dict[int, type[Schema]] = {**SIGNED_IN_ERRORS, 403: Error, 404: Error}
