"""The page as a web archive: a WACZ 1.1.1 file (a WARC written with ``warcio``, its CDXJ
index, ``pages.jsonl`` and ``datapackage.json`` with its digest) that replay tools open
offline, and the byte-stable ZIP writer it and the press package share."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import uuid
import zipfile
from collections.abc import Mapping

from bordermap.errors import ExportError, one_line

__all__ = ["WACZ_VERSION", "check_wacz", "wacz_bytes", "zip_bytes"]

WACZ_VERSION = "1.1.1"
WARC_NAME = "archive/data.warc.gz"
_REQUIRED = (WARC_NAME, "indexes/index.cdx", "pages/pages.jsonl", "datapackage.json")
_INSTALL = "install the archive tools: pip install 'bordermap[package]'"


def zip_bytes(
    files: Mapping[str, bytes], when: dt.datetime, *, stored: tuple[str, ...] = ()
) -> bytes:
    """A ZIP of ``files`` that is the same bytes for the same files: members sorted by name,
    every one dated ``when`` (1980 at the earliest, as ZIP allows), fixed permissions.

    Examples
    --------
    >>> import datetime as dt
    >>> when = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    >>> zip_bytes({"b": b"2", "a": b"1"}, when) == zip_bytes({"a": b"1", "b": b"2"}, when)
    True
    """
    stamp = max(when.astimezone(dt.UTC).timetuple()[:6], (1980, 1, 1, 0, 0, 0))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever system writes it
            archive.writestr(info, files[name], compresslevel=9)
    return out.getvalue()


def _sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _warc(page: bytes, url: str, when: dt.datetime, software: str) -> bytes:
    try:
        from warcio.statusandheaders import StatusAndHeaders
        from warcio.warcwriter import WARCWriter
    except ImportError as exc:
        raise ExportError("warcio is not installed", fix=_INSTALL) from exc
    date = when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True, warc_version="WARC/1.1")

    def headers(kind: str, content: bytes) -> dict[str, str]:
        # Record ids from the content: the same page gives the same archive.
        ident = uuid.uuid5(uuid.NAMESPACE_URL, f"{kind} {url} {date} {_sha256(content)}")
        return {"WARC-Record-ID": f"<urn:uuid:{ident}>", "WARC-Date": date}

    info = f"software: {software}\nformat: WARC File Format 1.1\n".encode()
    writer.write_record(
        writer.create_warc_record(
            "data.warc.gz",
            "warcinfo",
            payload=io.BytesIO(info),
            length=len(info),
            warc_content_type="application/warc-fields",
            warc_headers_dict=headers("warcinfo", info),
        )
    )
    http = StatusAndHeaders(
        "200 OK",
        [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(page)))],
        protocol="HTTP/1.1",
    )
    writer.write_record(
        writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(page),
            length=len(page),
            http_headers=http,
            warc_headers_dict=headers("response", page),
        )
    )
    return out.getvalue()


def _index(warc: bytes) -> bytes:
    try:
        from cdxj_indexer.main import CDXJIndexer
    except ImportError as exc:
        raise ExportError("cdxj-indexer is not installed", fix=_INSTALL) from exc

    out = io.StringIO()
    CDXJIndexer(out, io.BytesIO(warc), filename="data.warc.gz", sort=True).process_all()
    return out.getvalue().encode()


def wacz_bytes(page: bytes, url: str, when: dt.datetime, *, title: str, software: str) -> bytes:
    """The page as served at ``url``, archived as a WACZ 1.1.1 file dated ``when``.

    Examples
    --------
    >>> import datetime as dt
    >>> when = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    >>> data = wacz_bytes(b"<html></html>", "https://example.org/map.html", when,
    ...                   title="Map", software="bordermap")
    >>> check_wacz(data, b"<html></html>")
    'WACZ 1.1.1 valid: https://example.org/map.html archived 2024-01-01T00:00:00Z'
    """
    date = when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    warc = _warc(page, url, when, software)
    pages = (
        json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "All Pages"})
        + "\n"
        + json.dumps({"id": "page-1", "url": url, "ts": date, "title": title}, ensure_ascii=False)
        + "\n"
    ).encode()
    members = {WARC_NAME: warc, "indexes/index.cdx": _index(warc), "pages/pages.jsonl": pages}
    package = {
        "profile": "data-package",
        "wacz_version": WACZ_VERSION,
        "title": title,
        "software": software,
        "created": date,
        "mainPageUrl": url,
        "mainPageDate": date,
        "resources": [
            {
                "name": path.rsplit("/", 1)[-1],
                "path": path,
                "hash": _sha256(data),
                "bytes": len(data),
            }
            for path, data in sorted(members.items())
        ],
    }
    members["datapackage.json"] = json.dumps(package, ensure_ascii=False, indent=1).encode()
    digest = {"path": "datapackage.json", "hash": _sha256(members["datapackage.json"])}
    members["datapackage-digest.json"] = json.dumps(digest, indent=1).encode()
    # WARCs stay uncompressed in the ZIP, so that replay tools can read them by range.
    return zip_bytes(members, when, stored=(WARC_NAME,))


def check_wacz(data: bytes, page: bytes | None = None) -> str:
    """Check a WACZ file: its members, the digests in ``datapackage.json`` and
    ``datapackage-digest.json``, the WARC's records, the index, and (given ``page``) that
    the archived page is that page, byte for byte.

    Returns
    -------
    str
        One line: the archived URL and date.

    Raises
    ------
    bordermap.errors.ExportError
        The first thing that does not hold.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = {name: archive.read(name) for name in archive.namelist()}
        compressed = {i.filename for i in archive.infolist() if i.compress_type}
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ExportError(f"not a ZIP file ({one_line(str(exc))})") from exc
    missing = [name for name in _REQUIRED if name not in members]
    if missing:
        raise ExportError(f"{', '.join(missing)} missing")
    if WARC_NAME in compressed:
        raise ExportError(f"{WARC_NAME} is compressed in the ZIP; WACZ stores it as it is")
    try:
        package = json.loads(members["datapackage.json"])
        digest = json.loads(members.get("datapackage-digest.json", b"{}"))
    except ValueError as exc:
        raise ExportError("datapackage.json is not JSON") from exc
    if digest and digest.get("hash") != _sha256(members["datapackage.json"]):
        raise ExportError("datapackage.json differs from its digest")
    for resource in package.get("resources", []):
        content = members.get(resource.get("path", ""))
        if content is None:
            raise ExportError(f"{resource.get('path')} listed in datapackage.json is missing")
        if resource.get("hash") != _sha256(content) or resource.get("bytes") != len(content):
            raise ExportError(f"{resource['path']} differs from its hash in datapackage.json")
    url = package.get("mainPageUrl")
    archived = _archived_page(members[WARC_NAME], url)
    if url is None or archived is None:
        raise ExportError(f"the WARC holds no response for the main page {url!r}")
    if url.encode() not in members["indexes/index.cdx"]:
        raise ExportError("indexes/index.cdx does not index the main page")
    if page is not None and archived != page:
        raise ExportError("the archived page differs from map.html")
    return f"WACZ {package.get('wacz_version')} valid: {url} archived {package.get('created')}"


def _archived_page(warc: bytes, url: str | None) -> bytes | None:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        for record in ArchiveIterator(io.BytesIO(warc), check_digests=True):
            if record.rec_type == "response" and record.rec_headers.get("WARC-Target-URI") == url:
                return record.content_stream().read()
    except (ArchiveLoadFailed, OSError, ValueError, EOFError) as exc:
        raise ExportError(f"the WARC cannot be read ({one_line(str(exc))})") from exc
    return None
