"""The pages staff answer a pulse on: no account, no session needed, opened by the secret in
the address alone. Nothing about the person is looked at or kept: no address, no browser, no
time finer than the day (``services.submit_answer``). An unknown address answers 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from startklar.core.forms import INVALID

from . import queries, services
from .models import PulseStatus

NOT_QUESTIONS = {"csrfmiddlewaretoken", "comment", "code"}


def _refusal(reason: str, page: queries.AnswerPage) -> str:
    """What the person reads when an answer is not taken."""
    if reason == "code_missing":
        return _("Please enter the code from your slip of paper.")
    if reason == "code_mistyped":
        return _(
            "This code contains a typing mistake. Please compare it with your slip character "
            "by character."
        )
    if reason == "code_unknown":
        return _("This code does not belong to this survey. Please check the link and the code.")
    if reason == "code_used":
        return _(
            "This code has already been used. Each code counts once, so that nobody answers "
            "twice. Your earlier answer is kept."
        )
    if reason == "comment_too_long":
        return _("The comment is too long: at most %(count)d characters, please.") % {
            "count": page.comment_max
        }
    return _("Please choose one of the answers offered (or “%(skip)s”).") % {"skip": page.skip}


def _rows(
    page: queries.AnswerPage, given: dict[str, str], invalid: str = ""
) -> list[tuple[queries.Asked, str, bool]]:
    """Each question with the answer given (kept when the form comes back) and whether it is
    the one refused."""
    return [(q, given.get(q.key, ""), q.key == invalid) for q in page.questions]


def _page(token: str) -> queries.AnswerPage:
    page = queries.answer_page(token)
    if page is None:
        raise Http404
    return page


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    page = _page(token)
    if not page.open:
        return render(request, "people/answer_closed.html", {"page": page}, status=410)
    context: dict[str, object] = {"page": page, "rows": _rows(page, {}), "comment": "", "code": ""}
    if request.method == "GET":
        return render(request, "people/answer.html", context)
    given = {k: str(v) for k, v in request.POST.items() if k not in NOT_QUESTIONS}
    comment = request.POST.get("comment", "")
    code = request.POST.get("code", "")
    try:
        services.submit_answer(token, given, comment=comment, code=code, today=timezone.localdate())
    except services.AnswerRefused as refused:
        if refused.reason == "not_open":  # closed while the form was open
            return render(request, "people/answer_closed.html", {"page": page}, status=410)
        if refused.reason == "unknown_link":  # pragma: no cover - the page was found above
            raise Http404 from refused
        context.update(
            rows=_rows(page, given, refused.field),
            comment=comment,
            code=code,
            error=_refusal(refused.reason, page),
            error_field=refused.field,
        )
        return render(request, "people/answer.html", context, status=INVALID)
    return redirect(reverse("people_answer:thanks", args=[token]))


@login_not_required
@never_cache
@require_GET
def thanks(request: HttpRequest, token: str) -> HttpResponse:
    page = _page(token)
    return render(
        request, "people/answer_thanks.html", {"page": page, "closed": PulseStatus.CLOSED}
    )
