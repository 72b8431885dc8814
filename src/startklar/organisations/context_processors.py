"""What the page shell (navigation, organisation switcher, language switch) needs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from startklar.core.modules import built_modules

from .tenancy import memberships


def shell(request: HttpRequest) -> dict[str, Any]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"nav_modules": built_modules()}
    found = memberships(request)
    match = request.resolver_match
    slug = match.kwargs.get("org_slug") if match else None
    current = next((m for m in found if m.organisation.slug == slug), None)
    return {
        "nav_memberships": found,
        "nav_current": current,
        "nav_modules": built_modules(),
    }
