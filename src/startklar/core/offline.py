"""Django's translations and formats for a command that needs no database (``startklar pilot
evaluate``, ``startklar data profile``): the pages' own wording, German or English."""

from __future__ import annotations

from pathlib import Path


def configure() -> None:
    """Set Django up with translations and formats only, unless it is set up already."""
    from django.conf import settings

    if settings.configured:
        return
    import django

    settings.configure(
        USE_I18N=True,
        LANGUAGE_CODE="de",
        LANGUAGES=[("de", "Deutsch"), ("en", "English")],
        LOCALE_PATHS=[Path(__file__).resolve().parent.parent / "locale"],
        FORMAT_MODULE_PATH=["startklar.formats"],
        INSTALLED_APPS=[],
    )
    django.setup()
