"""The press package: made, signed, verified; every change to it caught and named; nothing
restricted in a published one; the same bytes again from the same inputs."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

import bordermap
from bordermap.cli import main
from bordermap.errors import ExportError

from .test_publish import CANARIES, CASES, CROSSINGS, ESTIMATES, FACILITIES, ROUTES

EPOCH = "1700000000"
PUBLISHED_INPUTS = [CROSSINGS, FACILITIES, ESTIMATES, ROUTES, CASES]
PUBLISH_ARGS = [
    "--crossings", str(CROSSINGS), "--facilities", str(FACILITIES),
    "--estimates", str(ESTIMATES), "--routes", str(ROUTES), "--cases", str(CASES),
    "--publish",
]  # fmt: skip


def _name(text: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])


def _issue(folder: Path, stem: str, key, ca, ca_key) -> tuple[Path, Path]:
    """A signing certificate for ``key`` from a throwaway CA, with the usages C2PA asks."""
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(f"Test newsroom {stem}"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, False, False, False, False),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    (folder / f"{stem}.cert.pem").write_bytes(cert.public_bytes(pem) + ca.public_bytes(pem))
    (folder / f"{stem}.key.pem").write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return folder / f"{stem}.key.pem", folder / f"{stem}.cert.pem"


@pytest.fixture(scope="module")
def pki(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """A CA made now, and two signers: Ed25519 (the newsroom) and ECDSA P-256 (another)."""
    folder = tmp_path_factory.mktemp("pki")
    ca_key = ec.generate_private_key(ec.SECP256R1())
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("Throwaway test CA"))
        .issuer_name(_name("Throwaway test CA"))
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    return {
        "newsroom": _issue(folder, "newsroom", ed25519.Ed25519PrivateKey.generate(), ca, ca_key),
        "other": _issue(folder, "other", ec.generate_private_key(ec.SECP256R1()), ca, ca_key),
    }


def _render(*args: str) -> None:
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        assert main(["render", "--dpi", "60", *args]) == 0
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH")
        if before is not None:
            os.environ["SOURCE_DATE_EPOCH"] = before


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> Path:
    """The bundled map's unsigned package, with its ZIP."""
    out = tmp_path_factory.mktemp("bundled") / "map.zip"
    _render("--package", str(out))
    return out.with_suffix("")


@pytest.fixture(scope="module")
def published(tmp_path_factory, pki) -> Path:
    """A published map of restricted sites and case records, signed by the newsroom."""
    key, cert = pki["newsroom"]
    out = tmp_path_factory.mktemp("published") / "pub.zip"
    _render(*PUBLISH_ARGS, "--package", str(out), "--sign-key", str(key), "--sign-cert", str(cert))
    return out.with_suffix("")


def _copy(package: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(package, tmp_path / package.name))


def _verify(capsys, *args: str) -> tuple[int, list[str]]:
    capsys.readouterr()
    code = main(["verify", *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out.splitlines()


def test_the_bundled_package_holds_every_file_and_verifies(bundled, capsys):
    names = sorted(p.name for p in bundled.iterdir())
    assert names == [
        "README.txt", "SHA256SUMS", "manifest.json", "map.html", "map.json", "map.pdf",
        "map.png", "map.svg", "map.wacz",
    ]  # fmt: skip
    manifest = json.loads((bundled / "manifest.json").read_text())
    assert manifest["made"] == "2023-11-14T22:13:20Z"  # SOURCE_DATE_EPOCH
    assert manifest["command"]["arguments"][:2] == ["bordermap", "render"]
    assert {"matplotlib", "folium", "python"} <= set(manifest["libraries"])
    assert {f["path"]: f["media_type"] for f in manifest["files"]}["map.wacz"] == "application/wacz"
    assert {"file": "2023-10-09.csv"}.items() <= manifest["inputs"][1].items()
    code, lines = _verify(capsys, str(bundled))
    assert code == 0, lines
    assert "map.png: ok" in lines
    assert "signature: none: the package is unsigned (hashes only)" in lines
    assert bordermap.verify(bundled.with_suffix(".zip")).ok  # the ZIP verifies as the folder


def test_the_same_inputs_and_epoch_give_the_same_package(bundled, tmp_path):
    _render("--package", str(tmp_path / "map.zip"))
    again = tmp_path / "map"
    for path in bundled.iterdir():
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name
    assert (tmp_path / "map.zip").read_bytes() == bundled.with_suffix(".zip").read_bytes()


def test_sha256sum_checks_the_package_by_hand(bundled):
    sha256sum = shutil.which("sha256sum")
    if sha256sum is None:
        pytest.skip("no sha256sum here")
    done = subprocess.run(
        [sha256sum, "-c", "SHA256SUMS"], cwd=bundled, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_signed_published_package_verifies_and_rebuilds_from_its_inputs(published, capsys):
    code, lines = _verify(capsys, str(published), "--inputs", *map(str, PUBLISHED_INPUTS))
    assert code == 0, lines
    assert any(line.startswith("manifest.sig: ok, signed by CN=Test newsroom") for line in lines)
    assert any(line.startswith("map.png: ok; C2PA valid") for line in lines)
    assert any(line.startswith("map.svg: ok; C2PA valid") for line in lines)
    for name in ("map.html", "map.png", "map.svg", "map.pdf", "map.json"):
        assert f"rebuild {name}: same bytes, rebuilt from the inputs" in lines


def _texts(data: bytes, name: str) -> list[str]:
    """Every text a file holds, compressed ones opened (ZIP members, gzip, PDF)."""
    texts = [data.decode("latin-1")]
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                texts += _texts(archive.read(member), member)
    elif data[:2] == b"\x1f\x8b":
        texts += _texts(gzip.decompress(data), name)
    elif name.endswith(".pdf"):
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        texts.append(str(reader.metadata) + "".join(p.extract_text() for p in reader.pages))
    return texts


def _leaked(folder: Path) -> list[str]:
    text = "\n".join(t for p in sorted(folder.iterdir()) for t in _texts(p.read_bytes(), p.name))
    return sorted(c for c in CANARIES if c in text)


def test_no_canary_in_any_file_of_a_published_package(published):
    assert _leaked(published) == []
    zipped = published.with_suffix(".zip").read_bytes()
    assert [c for c in CANARIES if any(c in t for t in _texts(zipped, "pub.zip"))] == []
    manifest = json.loads((published / "manifest.json").read_text())
    assert {i["name"] for i in manifest["command"]["inputs"]} == {None}  # by SHA-256 alone
    assert "tests/data" not in (published / "manifest.json").read_text()


def test_the_analysts_own_package_keeps_the_canaries(tmp_path):
    """Without --publish the same package holds them: the test above can fail."""
    crossings = bordermap.load_crossings(CROSSINGS)
    joined = bordermap.join_estimates(crossings, bordermap.read_estimates(ESTIMATES))
    m = bordermap.crossing_map(joined, bordermap.load_facilities(FACILITIES), tiles=None)
    folder = bordermap.package(m, tmp_path / "own", dpi=50)
    assert "CANARY-restricted-site-91d0" in _leaked(folder)


# One byte flipped in each kind of file: the check that names it.
FLIPPED = {
    "README.txt": "README.txt: changed",
    "map.html": "map.html: changed",
    "map.png": "map.png: changed",
    "map.svg": "map.svg: changed",
    "map.pdf": "map.pdf: changed",
    "map.json": "map.json: changed",
    "map.wacz": "map.wacz: changed",
    "signer.pem": "signer.pem: changed",
    "manifest.json": "manifest.sig: the signature does not match",
    "manifest.sig": "manifest.sig: the signature does not match",
    "SHA256SUMS": "SHA256SUMS: does not match",
}


@pytest.mark.parametrize("name", list(FLIPPED))
def test_one_flipped_byte_in_any_file_is_named(name, published, tmp_path, capsys):
    folder = _copy(published, tmp_path)
    data = bytearray((folder / name).read_bytes())
    data[len(data) // 2] ^= 0x01
    (folder / name).write_bytes(bytes(data))
    code, lines = _verify(capsys, str(folder))
    assert code == 1
    assert any(line.startswith(FLIPPED[name]) for line in lines), lines


def test_a_dropped_file_is_named(published, tmp_path, capsys):
    folder = _copy(published, tmp_path)
    (folder / "map.svg").unlink()
    code, lines = _verify(capsys, str(folder))
    assert code == 1 and "map.svg: missing: the manifest lists it" in lines


def test_an_added_file_is_named(bundled, tmp_path, capsys):
    folder = _copy(bundled, tmp_path)
    (folder / "corrections.txt").write_text("figures revised")
    code, lines = _verify(capsys, str(folder))
    assert code == 1
    assert "corrections.txt: not in the manifest: added after the package was made" in lines


def test_a_manifest_signed_with_another_key_is_caught(published, pki, tmp_path, capsys):
    from bordermap.export.signing import load_signer

    folder = _copy(published, tmp_path)
    other = load_signer(*pki["other"])
    (folder / "manifest.sig").write_bytes(other.sign((folder / "manifest.json").read_bytes()))
    code, lines = _verify(capsys, str(folder))
    assert code == 1
    assert any(line.startswith("manifest.sig: the signature does not match") for line in lines)
    # Swapping the certificate too: the manifest names the first one.
    shutil.copy(pki["other"][1], folder / "signer.pem")
    code, lines = _verify(capsys, str(folder))
    assert code == 1 and any(line.startswith("signer.pem: changed") for line in lines)


def test_an_altered_input_is_named(published, tmp_path, capsys):
    altered = tmp_path / "estimates.csv"
    text = ESTIMATES.read_text(encoding="utf-8")
    altered.write_text(text.replace(",300,", ",310,", 1), encoding="utf-8")
    assert altered.read_text(encoding="utf-8") != text
    inputs = [str(altered) if p == ESTIMATES else str(p) for p in PUBLISHED_INPUTS]
    code, lines = _verify(capsys, str(published), "--inputs", *inputs)
    assert code == 1
    assert any(line.startswith("input estimates.csv: not an input of this map") for line in lines)
    assert any(line.startswith("rebuild: no given file is the --estimates input") for line in lines)


def test_a_rebuild_from_the_description_catches_a_drawing_that_differs(bundled, tmp_path):
    """Without the command line, the Python API rebuilds from map.json."""
    folder = _copy(bundled, tmp_path)
    result = bordermap.verify(
        folder, inputs=[bordermap.inputs.bundled_path("events/2023-10-09.csv")]
    )
    assert result.ok, str(result)
    assert "rebuild map.pdf: same bytes, rebuilt from map.json" in str(result).splitlines()


def test_a_time_map_put_in_as_map_json_fails_the_rebuild_in_one_line(bundled, tmp_path):
    """A package holds one event's crossing map: another kind of description in its place
    is named (found by mypy: the rebuild drew any description as a crossing map)."""
    folder = _copy(bundled, tmp_path)
    timeline = bordermap.describe_timeline(bordermap.event_series())
    (folder / "map.json").write_text(timeline.to_json(), encoding="utf-8")
    result = bordermap.verify(
        folder, inputs=[bordermap.inputs.bundled_path("events/2023-10-09.csv")]
    )
    assert not result.ok
    assert "map.json: changed" in str(result)
    assert (
        "rebuild: failed: map.json describes a timeline map, not one event's crossings"
        in str(result).splitlines()
    )


def test_a_tampered_image_fails_its_content_credential(published):
    from bordermap.export.signing import check_content_credential

    png = bytearray((published / "map.png").read_bytes())
    png[-200] ^= 0x01  # in the image data, after the manifest
    with pytest.raises(ExportError, match="C2PA"):
        check_content_credential(bytes(png), "image/png")


def test_the_wacz_passes_the_wacz_validator(bundled):
    done = subprocess.run(
        [sys.executable, "-m", "wacz", "validate", "-f", str(bundled / "map.wacz")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "the passed WACZ is valid" in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sign-key", "k.pem"], "signing and the archive's URL belong to a package"),
        (["--package", "{tmp}/p", "--sign-key", "{tmp}/k.pem"], "needs the key and its cert"),
        (["--package", "{tmp}/p", "--events", "all"], "a package holds one event's map"),
    ],
)
def test_package_options_misused_are_one_line_errors(args, message, tmp_path, capsys):
    code = main(["render", *(a.format(tmp=tmp_path) for a in args)])
    err = capsys.readouterr().err
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_a_key_and_another_certificate_are_refused(pki, tmp_path, capsys):
    key, _ = pki["newsroom"]
    _, cert = pki["other"]
    args = ["render", "--package", str(tmp_path / "p"), "--sign-key", str(key)]
    assert main([*args, "--sign-cert", str(cert)]) == 2
    assert "the certificate is not the signing key's" in capsys.readouterr().err
    assert not (tmp_path / "p").exists()  # nothing written


def test_verify_of_what_is_no_package_is_one_line(tmp_path, capsys):
    code, lines = _verify(capsys, str(tmp_path))
    assert code == 1 and lines == ["manifest.json: missing: this is not a bordermap package"]
    assert main(["verify", str(tmp_path / "nothing.zip")]) == 2
    assert "neither a package folder nor its ZIP" in capsys.readouterr().err


@pytest.mark.parametrize("other", [["-o", "map.html"], ["--png", "map.png"]])
def test_a_package_is_not_written_beside_other_outputs(tmp_path, capsys, other):
    """The package holds the page and images: with other outputs the two could not be all or
    none together, so the command refuses before reading anything."""
    args = ["render", "--package", str(tmp_path / "pkg"), *other]
    args[-1] = str(tmp_path / args[-1])
    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--package" in err[0]
    assert list(tmp_path.iterdir()) == []
