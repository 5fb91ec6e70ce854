"""Vendor the JavaScript, CSS, images and fonts that folium maps load, for offline pages.

Each package comes from the npm registry (``npm pack NAME@VERSION``) or, for files folium
ships itself, from folium's source distribution on PyPI (``pip download --no-binary``), at
the exact version the installed folium's templates and plugins name. The tarball's SHA-256
is recorded in ``src/bordermap/assets/README.md``; ``manifest.json`` maps each address a
map declares to its vendored file. Run from the repository root:

    python3 scripts/vendor_assets.py

A package that is missing, or a tarball whose SHA-256 differs from the one pinned below,
stops the script: nothing is written.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "src" / "bordermap" / "assets"

JSDELIVR = "https://cdn.jsdelivr.net/npm"
CDNJS = "https://cdnjs.cloudflare.com/ajax/libs"
FOLIUM_GH = "https://cdn.jsdelivr.net/gh/python-visualization/folium"


@dataclass(frozen=True)
class Package:
    """One pinned tarball: which files to keep, and the addresses maps load them from."""

    spec: str  # npm "name@version", or "pypi:folium==0.20.0"
    folder: str  # under src/bordermap/assets/
    sha256: str
    licence: str
    licence_file: str | None  # path in the tarball; None: written from ``licence_note``
    urls: dict[str, str]  # address a map declares → path in the tarball
    extra: tuple[str, ...] = ()  # files a stylesheet refers to (images, fonts)
    licence_note: str = ""
    note: str = ""
    # Text files changed on the way in (documented in ``note``): tarball path → function.
    transforms: dict[str, Callable[[str], str]] = field(default_factory=dict)
    # Vendored name of a file, where it is not the tarball's (a file cut from a larger one).
    renames: dict[str, str] = field(default_factory=dict)


# Addresses served by another pinned file: folium's default template names Leaflet 1.9.3,
# and the Leaflet 1.9.4 that bordermap's own maps load (a bug-fix release of the same API,
# vendored as in assets/README.md) stands in for it, so an offline page carries one Leaflet.
ALIASES = {
    f"{JSDELIVR}/leaflet@1.9.3/dist/leaflet.js": "leaflet-1.9.4/leaflet.js",
    f"{JSDELIVR}/leaflet@1.9.3/dist/leaflet.css": "leaflet-1.9.4/leaflet.css",
}

PACKAGES = [
    Package(
        "jquery@3.7.1",
        "jquery-3.7.1",
        "68a9f787516da47c680e09c187bcbac4536b6f85d90eb882844e12919e583f53",
        "MIT",
        "package/LICENSE.txt",
        {
            "https://code.jquery.com/jquery-3.7.1.min.js": "package/dist/jquery.min.js",
            f"{CDNJS}/jquery/3.7.1/jquery.min.js": "package/dist/jquery.min.js",
        },
        note="folium's default template",
    ),
    Package(
        "jquery-ui-dist@1.12.1",
        "jquery-ui-1.12.1",
        "2e25c212ff912419285f791d6c837a51e1668a6f6becfda5f632b984fecaedf5",
        "MIT",
        "package/LICENSE.txt",
        {"https://code.jquery.com/ui/1.12.1/jquery-ui.js": "package/jquery-ui.min.js"},
        note="GeoDataFrame.explore()'s categorical legend (draggable); the minified build of "
        "the same release, half the size of jquery-ui.js",
    ),
    Package(
        "bootstrap@5.2.2",
        "bootstrap-5.2.2",
        "6ae3403f9085283be866fd9bca04f3034ffc755e466e6a1ff9836e8c0a1340d4",
        "MIT",
        "package/LICENSE",
        {
            f"{JSDELIVR}/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js": (
                "package/dist/js/bootstrap.bundle.min.js"
            ),
            f"{JSDELIVR}/bootstrap@5.2.2/dist/css/bootstrap.min.css": (
                "package/dist/css/bootstrap.min.css"
            ),
        },
        note="folium's default template",
    ),
    Package(
        "bootstrap@3.1.1",
        "bootstrap-glyphicons-3.1.1",
        "23b27da4dd80b8fbe8972ac4be87037627e007ad5dd1edb27435844f0a4646a0",
        "MIT",
        "package/LICENSE",
        {
            "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css": (
                "package/dist/css/bootstrap.css"
            ),
        },
        ("package/dist/fonts/glyphicons-halflings-regular.woff",),
        note="folium's default template loads bootstrap-glyphicons.css of Bootstrap 3.0.0 from "
        "a CDN; that file is on no registry, so the same icon font and `.glyphicon` rules are "
        "cut from bootstrap@3.1.1's dist/css/bootstrap.css",
        transforms={"package/dist/css/bootstrap.css": lambda css: glyphicons_css(css)},
        renames={"package/dist/css/bootstrap.css": "dist/css/bootstrap-glyphicons.css"},
    ),
    Package(
        "@fortawesome/fontawesome-free@6.2.0",
        "fontawesome-free-6.2.0",
        "627ba11e9f2923be8f4c3f8688b9b4f17d787ce02691f32837893f53e8276c2a",
        "CC-BY-4.0 (icons), OFL-1.1 (fonts), MIT (code)",
        "package/LICENSE.txt",
        {
            f"{JSDELIVR}/@fortawesome/fontawesome-free@6.2.0/css/all.min.css": (
                "package/css/all.min.css"
            ),
        },
        tuple(
            f"package/webfonts/{n}.woff2"
            for n in ("fa-brands-400", "fa-regular-400", "fa-solid-900")
        ),
        note="folium's default template; the .woff2 fonts only (every browser that runs "
        "Leaflet reads them; the .ttf fallbacks become empty), and the Font Awesome 4 and 5 "
        "compatibility @font-face rules left out of all.min.css: they repeat the same fonts "
        "under old family names, which would put each font in a page three times",
        transforms={"package/css/all.min.css": lambda css: fontawesome6_faces_only(css)},
    ),
    Package(
        "drmonty-leaflet-awesome-markers@2.0.2",
        "leaflet-awesome-markers-2.0.2",
        "462ab5a8fe53883d44d7c7a1c79c8e43c748ba026abbb9dbefe9e586645a4473",
        "MIT",
        None,
        {
            f"{CDNJS}/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js": (
                "package/js/leaflet.awesome-markers.js"
            ),
            f"{CDNJS}/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css": (
                "package/css/leaflet.awesome-markers.css"
            ),
        },
        tuple(
            f"package/css/images/{n}"
            for n in (
                "markers-soft.png",
                "markers-soft@2x.png",
                "markers-shadow.png",
                "markers-shadow@2x.png",
            )
        ),
        licence_note="Leaflet.AwesomeMarkers 2.0.2, (c) 2012-2013 Lennard Voogdt. MIT licence, "
        "as package.json's 'licenses' states "
        "(http://github.com/lvoogdt/Leaflet.awesome-markers/blob/2.0/develop/LICENSE).\n",
        note="folium's default template; npm carries Leaflet.awesome-markers 2.0.2 as "
        "drmonty-leaflet-awesome-markers",
    ),
    Package(
        "leaflet.markercluster@1.1.0",
        "leaflet.markercluster-1.1.0",
        "47219016d91e524b329a0fb2365961bf8228109bb58e370ad0b1ab6299288b91",
        "MIT",
        "package/MIT-LICENCE.txt",
        {
            f"{CDNJS}/leaflet.markercluster/1.1.0/leaflet.markercluster.js": (
                "package/dist/leaflet.markercluster.js"
            ),
            f"{CDNJS}/leaflet.markercluster/1.1.0/MarkerCluster.css": (
                "package/dist/MarkerCluster.css"
            ),
            f"{CDNJS}/leaflet.markercluster/1.1.0/MarkerCluster.Default.css": (
                "package/dist/MarkerCluster.Default.css"
            ),
        },
        note="folium.plugins.MarkerCluster",
    ),
    Package(
        "leaflet.fullscreen@3.0.0",
        "leaflet.fullscreen-3.0.0",
        "b19f191d11fc2e6afbb75af9e79cb923087a630e4c35a565353d756ed6c1c77a",
        "MIT",
        "package/LICENSE",
        {
            f"{JSDELIVR}/leaflet.fullscreen@3.0.0/Control.FullScreen.min.js": (
                "package/Control.FullScreen.js"
            ),
            f"{JSDELIVR}/leaflet.fullscreen@3.0.0/Control.FullScreen.css": (
                "package/Control.FullScreen.css"
            ),
        },
        ("package/icon-fullscreen.svg",),
        note="folium.plugins.Fullscreen; the npm package has the unminified script only",
    ),
    Package(
        "leaflet-minimap@3.6.1",
        "leaflet-minimap-3.6.1",
        "cd6f560dbea1c2936dbdafa645890d9673a4d5981af30020c1c399dc4634e928",
        "BSD-2-Clause",
        "package/LICENSE.txt",
        {
            f"{CDNJS}/leaflet-minimap/3.6.1/Control.MiniMap.js": "package/src/Control.MiniMap.js",
            f"{CDNJS}/leaflet-minimap/3.6.1/Control.MiniMap.css": "package/src/Control.MiniMap.css",
        },
        ("package/src/images/toggle.svg", "package/src/images/toggle.png"),
        note="folium.plugins.MiniMap",
    ),
    Package(
        "pypi:folium==0.20.0",
        "folium-0.20.0",
        "a0d78b9d5a36ba7589ca9aedbd433e84e9fcab79cd6ac213adbcff922e454cb9",
        "MIT",
        "folium-0.20.0/LICENSE.txt",
        {
            f"{FOLIUM_GH}@main/folium/templates/leaflet_heat.min.js": (
                "folium-0.20.0/folium/templates/leaflet_heat.min.js"
            ),
            f"{FOLIUM_GH}/folium/templates/leaflet.awesome.rotate.min.css": (
                "folium-0.20.0/folium/templates/leaflet.awesome.rotate.css"
            ),
        },
        note="folium.plugins.HeatMap (Leaflet.heat) and the icon rotation rules of folium's "
        "default template, from folium's own source distribution (the .css is the unminified "
        "form of the .min.css the template names)",
    ),
]


def fetch(spec: str, workdir: Path) -> Path:
    """Download one tarball with the registry's own client."""
    if spec.startswith("pypi:"):
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:"]
        subprocess.run([*command, "-q", "-d", str(workdir), spec[5:]], check=True)
        return next(workdir.glob(spec[5:].split("==")[0] + "-*.tar.gz"))
    out = subprocess.run(
        ["npm", "pack", spec, "--silent", "--pack-destination", str(workdir)],
        check=True,
        capture_output=True,
        text=True,
    )
    return workdir / out.stdout.strip().splitlines()[-1]


def glyphicons_css(bootstrap_css: str) -> str:
    """The Glyphicons @font-face and every ``.glyphicon`` rule of Bootstrap 3's stylesheet."""
    rules = re.findall(
        r"(@font-face\s*\{[^}]*Glyphicons Halflings[^}]*\}|\.glyphicon[^{]*\{[^}]*\})",
        bootstrap_css,
    )
    header = (
        "/* Glyphicons of Bootstrap 3.1.1 (MIT), cut from dist/css/bootstrap.css by "
        "scripts/vendor_assets.py */\n"
    )
    return header + "\n".join(rules) + "\n"


def fontawesome6_faces_only(css: str) -> str:
    """Font Awesome's stylesheet without the @font-face rules of its v4/v5 family names."""
    kept = re.sub(
        r"@font-face\{font-family:\"?(?:FontAwesome|Font Awesome 5 [A-Za-z]+)\"?;[^}]*\}", "", css
    )
    assert kept.count("@font-face") >= 3, "Font Awesome 6's own faces must stay"
    return kept


def vendor(package: Package, tarball: Path, manifest: dict[str, str]) -> None:
    target = ASSETS / package.folder
    with tarfile.open(tarball) as archive:
        members = {m.name: m for m in archive.getmembers()}

        def read(name: str) -> bytes:
            return archive.extractfile(members[name]).read()

        for name in sorted({*package.urls.values(), *package.extra}):
            data = read(name)
            if name in package.transforms:
                data = package.transforms[name](data.decode("utf-8")).encode("utf-8")
            out = target / package.renames.get(name, _short(name))
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
        licence = read(package.licence_file) if package.licence_file else b""
        (target / "LICENSE").write_bytes(licence or package.licence_note.encode("utf-8"))
    for url, path in package.urls.items():
        manifest[url] = f"{package.folder}/{package.renames.get(path, _short(path))}"


def _short(name: str) -> str:
    """Path inside the vendored folder: the tarball's, without its top folder."""
    return name.split("/", 1)[1]


def main() -> None:
    manifest_path = ASSETS / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for package in PACKAGES:
            tarball = fetch(package.spec, Path(tmp))
            digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
            if package.sha256 and digest != package.sha256:
                sys.exit(f"{package.spec}: SHA-256 {digest} is not the pinned {package.sha256}")
            vendor(package, tarball, manifest)
            rows.append(
                f"| {package.spec} | `{package.folder}/` | {package.licence} "
                f"(`{package.folder}/LICENSE`) | {digest} | {package.note} |"
            )
    manifest.update(ALIASES)
    manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", "utf-8")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
