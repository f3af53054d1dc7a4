"""The content-addressed store for published files: what is published is written once under its SHA-256 and served
from then on as stored, byte for byte, with ETag = SHA-256 (a matching If-None-Match answers 304 unopened).

Minutes' PDFs use it today; budgets' reports and governing documents' published versions use the same store, each
kind in its own folder below MEDIA_ROOT.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.http.response import HttpResponseBase
from django.utils.http import parse_etags

# Published files never change; caches may keep them a day (not forever, in case one must ever be taken down).
CACHE_CONTROL = "public, max-age=86400"


@dataclass(frozen=True)
class Stored:
    sha256: str
    size: int


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def put(field_file, data: bytes, *, suffix: str = ".pdf") -> Stored:
    """Write the bytes into a model's FileField under their SHA-256 (the row is saved by the caller)."""
    sha256 = digest(data)
    field_file.save(f"{sha256}{suffix}", ContentFile(data), save=False)
    return Stored(sha256=sha256, size=len(data))


def path_of(folder: str, sha256: str, suffix: str = ".pdf") -> Path:
    return Path(settings.MEDIA_ROOT) / folder / f"{sha256}{suffix}"


def _etag_matches(request, etag: str) -> bool:
    header = request.headers.get("If-None-Match")
    if not header:
        return False
    tags = parse_etags(header)
    return "*" in tags or any(t.removeprefix("W/") == etag for t in tags)


def serve(request, opener, sha256: str, download_name: str, content_type: str = "application/pdf"):
    """The stored bytes with ETag = SHA-256; a missing file is a 404, never a 500."""
    etag = f'"{sha256}"'
    if _etag_matches(request, etag):
        response: HttpResponseBase = HttpResponseNotModified()
    else:
        try:
            stream = opener()
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(stream, content_type=content_type, filename=download_name)
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response


def serve_by_address(request, folder: str, sha256: str, download_name: str, suffix: str = ".pdf"):
    """Serve a file by its content address alone (no database query): only publishing writes to the folder, so a
    file that exists is published and immutable."""
    path = path_of(folder, sha256, suffix)
    if not path.is_file():
        raise Http404
    return serve(request, lambda: path.open("rb"), sha256, download_name)
