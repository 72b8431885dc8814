"""A closed round's result, kept on the round so that pages need not assess it again.

Once a round is closed its answers no longer change (every service that changes answers or
respondents refuses a closed round), so its result is computed when it is closed
(``services.close_round``) and stored in two parts: the scores that the trend, the overview and
the use cases' suggested scores show (``Round.result_scores``), and the rest that the results
page and the export show (``Round.result_details``).

Each part is sealed: an HMAC with the installation's secret key over the round's id and the
stored text, which names the version of the engine and of the question bank that computed it.
A stored part is used only if its seal holds and its version is this installation's. Anything
else – a round closed before results were stored, a changed engine or bank, a round taken over
from an archive (it has a new id there) or a value changed by hand – counts as not stored: the
round is assessed from its answers when it is next read, and the result stored then. Open rounds
are always assessed from their answers.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.utils.crypto import constant_time_compare, salted_hmac

from . import content, engine
from .content import VERSIONS, load_bank
from .models import Round

SALT = "startklar.readiness.stored"
# The code a stored result depends on: the engine, the bank's loader and this file's format.
SOURCES = (Path(engine.__file__), Path(content.__file__), Path(__file__))


@functools.cache
def version(bank_version: str) -> str:
    """Names the engine and question bank a result is computed with; changes with either."""
    digest = hashlib.sha256()
    for source in SOURCES:
        digest.update(source.read_bytes())
    digest.update(VERSIONS.digest(bank_version).encode())
    return digest.hexdigest()[:24]


def _seal(round_id: int, text: str) -> str:
    return salted_hmac(SALT, f"{round_id} {text}", algorithm="sha256").hexdigest()


def _sealed(round_: Round, data: Mapping[str, object]) -> str:
    text = json.dumps({"version": version(round_.bank_version), **data}, ensure_ascii=False)
    return f"{_seal(round_.pk, text)} {text}"


def _opened(round_: Round, stored: str) -> Any:
    """The stored data (of the engine's ``ScoresData`` or ``DetailsData`` shape) if the seal
    holds and it is of this version, else None."""
    seal, _space, text = stored.partition(" ")
    if not text or not constant_time_compare(seal, _seal(round_.pk, text)):
        return None
    data = json.loads(text)
    return data if data.get("version") == version(round_.bank_version) else None


def scores(round_: Round) -> engine.Scores | None:
    """The stored scores of a closed round (``Round.result_scores``), None if there are none."""
    if round_.is_open:
        return None
    data = _opened(round_, round_.result_scores)
    return None if data is None else engine.scores_from_data(load_bank(round_.bank_version), data)


def result(round_: Round) -> engine.RoundResult | None:
    """The stored result of a closed round, None if there is none."""
    if round_.is_open:
        return None
    numbers = _opened(round_, round_.result_scores)
    details = _opened(round_, round_.result_details)
    if numbers is None or details is None:
        return None
    return engine.round_result_from_data(load_bank(round_.bank_version), numbers, details)


def store(round_: Round, found: engine.RoundResult) -> None:
    """Keep the result of a closed round (an open one keeps nothing: its answers may change)."""
    if round_.is_open:
        return
    round_.result_scores = _sealed(round_, engine.scores_to_data(found.combined.scores))
    round_.result_details = _sealed(round_, engine.details_to_data(found))
    Round.objects.filter(pk=round_.pk, status=Round.Status.CLOSED).update(
        result_scores=round_.result_scores, result_details=round_.result_details
    )
