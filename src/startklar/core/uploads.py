"""Uploads are cut off at ``STARTKLAR_MAX_UPLOAD_BYTES`` while they arrive, not after.

Django writes an uploaded file to memory or a temporary file in full before any view sees it.
:class:`SizeLimitUploadHandler` (first in ``FILE_UPLOAD_HANDLERS``) stops keeping a file once it
is larger than the limit: the rest of the request is read and thrown away, the file is missing
from ``request.FILES`` and its field name is in ``request.too_large_uploads``, so the view can
say so at the field.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile


def too_large(request: Any, field: str) -> bool:
    """Whether the file sent as ``field`` was cut off for being too large."""
    return field in getattr(request, "too_large_uploads", set())


class SizeLimitUploadHandler(FileUploadHandler):
    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.STARTKLAR_MAX_UPLOAD_BYTES:
            skipped: set[str] = getattr(self.request, "too_large_uploads", set())
            skipped.add(self.field_name)
            self.request.too_large_uploads = skipped  # type: ignore[union-attr]
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler builds the file
