"""Signing a press package: a detached signature over its manifest (Ed25519 or ECDSA P-256,
with the ``cryptography`` package) and C2PA content credentials in its PNG and SVG
(``c2pa-python``), each checked again by :mod:`bordermap.export.verification`."""

from __future__ import annotations

import io
import json
import os
import re
import struct
from dataclasses import dataclass
from typing import Any

from bordermap.errors import ExportError, one_line

__all__ = [
    "C2PA_FORMATS",
    "Signer",
    "add_content_credential",
    "check_content_credential",
    "check_signature",
    "load_signer",
    "without_content_credential",
]

#: The package's files that carry a C2PA manifest, by media type. The PDF is left out:
#: c2pa rewrites a PDF's objects, so it could no longer be rebuilt byte for byte.
C2PA_FORMATS = {"map.png": "image/png", "map.svg": "image/svg+xml"}

_INSTALL = "install the signing tools: pip install 'bordermap[package]'"


def _crypto() -> Any:
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec, ed25519
    except ImportError as exc:
        raise ExportError("the cryptography package is not installed", fix=_INSTALL) from exc
    return x509, hashes, serialization, ec, ed25519


@dataclass(frozen=True)
class Signer:
    """A private key and the certificate chain (PEM) that names its holder."""

    key: Any
    chain_pem: bytes
    algorithm: str  # "Ed25519" or "ECDSA P-256"
    subject: str
    fingerprint: str  # SHA-256 of the signer's certificate (DER), hex

    def sign(self, data: bytes) -> bytes:
        """A detached signature of ``data``: raw Ed25519, or DER ECDSA over SHA-256."""
        _, hashes, _, ec, _ = _crypto()
        if self.algorithm == "Ed25519":
            return self.key.sign(data)
        return self.key.sign(data, ec.ECDSA(hashes.SHA256()))

    def describe(self) -> dict[str, str]:
        """What the manifest says of the signer."""
        return {
            "algorithm": self.algorithm,
            "certificate": "signer.pem",
            "subject": self.subject,
            "certificate_sha256": self.fingerprint,
        }


def _read(path: str | os.PathLike, what: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise ExportError(
            f"cannot read the {what} ({exc.strerror})", file=str(path), fix="check the path"
        ) from exc


def _certificates(pem: bytes, path: str | os.PathLike) -> list:
    x509 = _crypto()[0]
    try:
        chain = x509.load_pem_x509_certificates(pem)
    except ValueError as exc:
        raise ExportError(
            "not a PEM certificate", file=str(path), fix="give the signer's certificate (PEM)"
        ) from exc
    return chain


def load_signer(key_path: str | os.PathLike, cert_path: str | os.PathLike) -> Signer:
    """Read a PEM private key (Ed25519 or ECDSA P-256) and its certificate chain.

    Raises
    ------
    bordermap.errors.ExportError
        Unreadable files, another kind of key, or a certificate of another key.
    """
    _, hashes, serialization, ec, ed25519 = _crypto()
    try:
        key = serialization.load_pem_private_key(_read(key_path, "signing key"), password=None)
    except (ValueError, TypeError) as exc:
        raise ExportError(
            "not an unencrypted PEM private key",
            file=str(key_path),
            fix="give the key as PEM without a passphrase (openssl pkey -in KEY -out KEY.pem)",
        ) from exc
    if isinstance(key, ed25519.Ed25519PrivateKey):
        algorithm = "Ed25519"
    elif isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name == "secp256r1":
        algorithm = "ECDSA P-256"
    else:
        raise ExportError(
            "a signing key must be Ed25519 or ECDSA P-256",
            file=str(key_path),
            value=type(key).__name__,
            fix="make one with: openssl genpkey -algorithm ed25519 -out key.pem",
        )
    chain_pem = _read(cert_path, "certificate")
    chain = _certificates(chain_pem, cert_path)
    der = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    if chain[0].public_key().public_bytes(*der) != key.public_key().public_bytes(*der):
        raise ExportError(
            "the certificate is not the signing key's",
            file=str(cert_path),
            fix="give the certificate issued for this key first in the PEM file",
        )
    leaf = chain[0]
    return Signer(
        key,
        chain_pem,
        algorithm,
        leaf.subject.rfc4514_string(),
        leaf.fingerprint(hashes.SHA256()).hex(),
    )


def check_signature(data: bytes, signature: bytes, chain_pem: bytes) -> str:
    """Check a detached signature of ``data`` by the first certificate of ``chain_pem``.

    Returns
    -------
    str
        Whom the certificate names, and its SHA-256, for the report.

    Raises
    ------
    bordermap.errors.ExportError
        The signature is not this certificate's key's signature of ``data``.
    """
    from cryptography.exceptions import InvalidSignature

    _, hashes, _, ec, ed25519 = _crypto()
    leaf = _certificates(chain_pem, "signer.pem")[0]
    public = leaf.public_key()
    try:
        if isinstance(public, ed25519.Ed25519PublicKey):
            public.verify(signature, data)
        elif isinstance(public, ec.EllipticCurvePublicKey):
            public.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        else:
            raise ExportError("the certificate's key is neither Ed25519 nor ECDSA P-256")
    except InvalidSignature as exc:
        raise ExportError(
            "the signature does not match: manifest.json was changed, or signed with "
            "another key than signer.pem's"
        ) from exc
    fingerprint = leaf.fingerprint(hashes.SHA256()).hex()
    return f"{leaf.subject.rfc4514_string()} (certificate SHA-256 {fingerprint})"


def _c2pa() -> Any:
    try:
        import c2pa
    except ImportError as exc:
        raise ExportError("c2pa-python is not installed", fix=_INSTALL) from exc
    return c2pa


def _context(c2pa: Any) -> Any:
    # No thumbnail: the picture is already the file; it would double the PNG's size.
    settings = c2pa.Settings.from_json(json.dumps({"builder": {"thumbnail": {"enabled": False}}}))
    return c2pa.Context(settings)


def add_content_credential(
    data: bytes, media_type: str, signer: Signer, *, title: str, about: dict[str, Any]
) -> bytes:
    """``data`` with a C2PA manifest embedded and signed: a "created" action by bordermap,
    the inputs as ingredients by SHA-256, the map's title and sources."""
    c2pa = _c2pa()
    alg = "ed25519" if signer.algorithm == "Ed25519" else "es256"
    from cryptography.hazmat.primitives import serialization

    key_pem = signer.key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    agent = {"name": "bordermap", "version": about["version"]}
    manifest = {
        "claim_generator_info": [agent],
        "title": title,
        "assertions": [
            {
                "label": "c2pa.actions",
                "data": {
                    "actions": [
                        {
                            "action": "c2pa.created",
                            "softwareAgent": agent,
                            "digitalSourceType": "http://cv.iptc.org/newscodes/"
                            "digitalsourcetype/algorithmicMedia",
                        }
                    ]
                },
            },
            {
                "label": "org.bordermap.map",
                "data": {
                    "title": title,
                    "sources": about["sources"],
                    "event": about.get("event"),
                    "ingredients": [
                        {"name": i.get("file"), "sha256": i["sha256"]} for i in about["inputs"]
                    ],
                },
            },
        ],
    }
    try:
        info = c2pa.C2paSignerInfo(alg.encode(), signer.chain_pem, key_pem, None)
        with c2pa.Builder(json.dumps(manifest), _context(c2pa)) as builder:
            out = io.BytesIO()
            builder.sign(c2pa.Signer.from_info(info), media_type, io.BytesIO(data), out)
    except c2pa.C2paError as exc:
        raise ExportError(
            f"c2pa could not sign the {media_type} image: {exc}",
            field="--sign-cert",
            fix="give a certificate issued by a CA (chain in the PEM, leaf first) with the "
            "digitalSignature key usage, the emailProtection or documentSigning extended key "
            "usage and an authority key identifier",
        ) from exc
    return out.getvalue()


def check_content_credential(data: bytes, media_type: str) -> str:
    """What c2pa says of the manifest embedded in ``data``.

    Returns
    -------
    str
        ``"valid"`` with the signer's name, when the manifest and its hash of the file hold.

    Raises
    ------
    bordermap.errors.ExportError
        No manifest, or one whose signature or hash of the file fails.
    """
    c2pa = _c2pa()
    try:
        with c2pa.Reader(media_type, io.BytesIO(data)) as reader:
            state = reader.get_validation_state()
            results = reader.get_validation_results() or {}
            active = reader.get_active_manifest() or {}
    except c2pa.C2paError as exc:
        raise ExportError(f"no readable C2PA manifest ({one_line(str(exc))})") from exc
    failures = [
        f["code"]
        for f in (results.get("activeManifest") or {}).get("failure", [])
        # A certificate of one's own CA is in no public trust list: said, not failed.
        if f.get("code") != "signingCredential.untrusted"
    ]
    if state not in ("Valid", "Trusted") or failures:
        raise ExportError(f"C2PA manifest fails: {', '.join(failures) or state}")
    issuer = (active.get("signature_info") or {}).get("common_name") or "unknown signer"
    trust = "trusted" if state == "Trusted" else "signer not in a C2PA trust list"
    return f"C2PA valid, signed by {issuer} ({trust})"


_SVG_C2PA = re.compile(rb"<c2pa:manifest>[^<]*</c2pa:manifest>")
_SVG_EMPTY_METADATA = re.compile(rb"\s*<metadata>\s*</metadata>")


def without_content_credential(data: bytes, media_type: str) -> bytes:
    """``data`` as it was before a C2PA manifest was embedded: what a rebuild compares.

    Examples
    --------
    >>> without_content_credential(
    ...     b"<svg> <metadata><c2pa:manifest>AAA=</c2pa:manifest></metadata>x</svg>",
    ...     "image/svg+xml")
    b'<svg>x</svg>'
    """
    if media_type == "image/png" and data.startswith(b"\x89PNG"):
        parts, at = [data[:8]], 8
        while at + 8 <= len(data):
            (length,) = struct.unpack(">I", data[at : at + 4])
            end = at + 12 + length
            if data[at + 4 : at + 8] != b"caBX":
                parts.append(data[at:end])
            at = end
        return b"".join(parts)
    if media_type == "image/svg+xml":
        data = data.replace(b' xmlns:c2pa="http://c2pa.org/manifest"', b"", 1)
        # c2pa puts its manifest first in the SVG's <metadata>, or in a new one.
        data = _SVG_C2PA.sub(b"", data, count=1)
        return _SVG_EMPTY_METADATA.sub(b"", data, count=1)
    return data
