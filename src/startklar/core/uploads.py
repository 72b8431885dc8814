"""Uploads are cut off at ``STARTKLAR_MAX_UPLOAD_BYTES`` (or a view's own limit, see
:func:`limited_by`) while they arrive, not after.

Django writes an uploaded file to memory or a temporary file in full before any view sees it.
:class:`SizeLimitUploadHandler` (first in ``FILE_UPLOAD_HANDLERS``) stops keeping a file once it
is larger than the limit: the rest of the request is read and thrown away, the file is missing
from ``request.FILES`` and its field name is in ``request.too_large_uploads``, so the view can
say so at the field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

F = TypeVar("F", bound=Callable[..., Any])


def too_large(request: Any, field: str) -> bool:
    """Whether the file sent as ``field`` was cut off for being too large."""
    return field in getattr(request, "too_large_uploads", set())


def limited_by(setting: str) -> Callable[[F], F]:
    """A view whose uploads may be as large as the setting ``setting`` says (instead of
    ``STARTKLAR_MAX_UPLOAD_BYTES``), e.g. the data check's files. The handler finds the view
    through the request's URL match, which is known before the body is read."""

    def mark(view: F) -> F:
        view.startklar_upload_setting = setting  # type: ignore[attr-defined]
        return view

    return mark


def limit(request: Any) -> int:
    """The bytes a file of this request may have."""
    view = getattr(getattr(request, "resolver_match", None), "func", None)
    setting = getattr(view, "startklar_upload_setting", "STARTKLAR_MAX_UPLOAD_BYTES")
    return int(getattr(settings, setting))


class SizeLimitUploadHandler(FileUploadHandler):
    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > limit(self.request):
            skipped: set[str] = getattr(self.request, "too_large_uploads", set())
            skipped.add(self.field_name)
            self.request.too_large_uploads = skipped  # type: ignore[union-attr]
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler builds the file
