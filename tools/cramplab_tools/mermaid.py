"""Mermaid for the course website: fetched once, pinned and checked, then used offline.

The site draws the notebooks' ```mermaid diagrams in the browser with mermaid's JavaScript,
which must come from the site itself (the site builds and is read without a CDN). The npm
package is pinned by version and by the sha512 its registry publishes; a tarball that does not
match is refused before anything is extracted. Only the ES-module build is kept: the entry
file and the chunks it imports (74 files, 2.7 MB; no source maps).

It lives in the Python environment, `<sys.prefix>/share/cramplab/mermaid-<VERSION>/` (for
`make`, `.venv/share/...`): the Makefile's environment set-up fetches it along with the locked
packages, so a machine that is offline after set-up still builds the site, `make clean`
removes it with the rest of the environment, and nothing large is committed.

    python -m cramplab_tools mermaid      (nothing is fetched when it is already there)
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path, PurePosixPath

VERSION = "11.12.1"  # sphinxcontrib-mermaid 2.1.1's default; its page code targets 11.x
INTEGRITY = (  # `npm view mermaid@11.12.1 dist.integrity`
    "sha512-UlIZrRariB11TY1RtTgUWp65tphtBv4CSq7vyS2ZZ2TgoMjs2nloq+wFqxiwcxlhHUvs7DPGgMjs2aeQxz5h9g=="
)
# Without npm (a Python-only machine) the same tarball comes straight from the registry.
TARBALL_URL = f"https://registry.npmjs.org/mermaid/-/mermaid-{VERSION}.tgz"
ENTRY = "mermaid.esm.min.mjs"  # what the page imports; relative to the vendored folder
DIST = "package/dist/"
CHUNKS = f"{DIST}chunks/mermaid.esm.min/"


class MermaidUnavailable(RuntimeError):
    """Mermaid is not vendored yet and could not be fetched (offline, or a changed tarball)."""


def vendored_dir(prefix: Path | str | None = None) -> Path:
    """Where this environment keeps mermaid (default prefix: the running Python's)."""
    return Path(sys.prefix if prefix is None else prefix) / "share" / "cramplab" / folder_name()


def folder_name() -> str:
    return f"mermaid-{VERSION}"


def integrity(data: bytes) -> str:
    """npm's Subresource Integrity string for data: 'sha512-' and the base64 digest."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def wanted(member: str) -> bool:
    """The ES-module entry and the chunks it imports; not the other builds or source maps."""
    return member == DIST + ENTRY or (member.startswith(CHUNKS) and member.endswith(".mjs"))


def safe_relative(member: str, tarball: Path) -> PurePosixPath:
    """member's path below DIST, refused when it could land outside the target (absolute, or
    with a '..' part)."""
    path = PurePosixPath(member.removeprefix(DIST))
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise MermaidUnavailable(f"{tarball.name}: member {member!r} points outside its folder")
    return path


def extract_file(archive: tarfile.TarFile, member: tarfile.TarInfo, destination: Path) -> None:
    """One regular file's bytes, written with ordinary permissions.

    By hand rather than with extractall(filter="data"), which needs Python 3.11.4 (Debian 12's
    own Python is 3.11.2): only regular files reach here (no links or devices), their paths
    are checked by safe_relative, and no owner, mode or time is taken from the archive.
    """
    source = archive.extractfile(member)
    if source is None:  # not a regular file after all
        raise MermaidUnavailable(f"member {member.name!r} is not a regular file")
    destination.parent.mkdir(parents=True, exist_ok=True)
    with source, open(destination, "xb") as out:
        shutil.copyfileobj(source, out)


def download(folder: Path) -> Path:
    """The pinned tarball, into folder: `npm pack` if npm is there, else plain HTTPS."""
    tarball = folder / f"mermaid-{VERSION}.tgz"
    if shutil.which("npm"):
        subprocess.run(
            ["npm", "pack", f"mermaid@{VERSION}", "--pack-destination", str(folder), "--silent"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    else:
        with urllib.request.urlopen(TARBALL_URL, timeout=60) as response:
            tarball.write_bytes(response.read())
    return tarball


def install(tarball: Path, target: Path, expected: str = INTEGRITY) -> Path:
    """Check tarball against expected, then extract the wanted files into target, whole.

    Extraction goes to a staging folder beside target and is renamed at the end, so an
    interrupted run never leaves a half-filled target that would count as installed.
    """
    found = integrity(tarball.read_bytes())
    if found != expected:
        raise MermaidUnavailable(
            f"{tarball.name}: integrity {found} is not the pinned {expected}; nothing extracted"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        with tarfile.open(tarball) as archive:
            members = [m for m in archive.getmembers() if m.isfile() and wanted(m.name)]
            if not any(m.name == DIST + ENTRY for m in members):
                raise MermaidUnavailable(f"{tarball.name} has no {DIST + ENTRY}")
            for member in members:
                extract_file(archive, member, staging / safe_relative(member.name, tarball))
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # gone already when the rename succeeded
    return target


def ensure(target: Path | None = None) -> Path:
    """The vendored mermaid folder, fetched first if this environment does not have it yet."""
    target = vendored_dir() if target is None else target
    if (target / ENTRY).is_file():
        return target
    with tempfile.TemporaryDirectory(prefix="cramplab-mermaid-") as folder:
        try:
            tarball = download(Path(folder))
        except (OSError, subprocess.CalledProcessError) as error:
            raise MermaidUnavailable(
                f"could not fetch mermaid {VERSION} from the npm registry ({error}); the site "
                "needs it once, with network: run `make site` (or `python -m "
                "cramplab_tools mermaid`) on a connected machine"
            ) from None
        return install(tarball, target)


def describe(folder: Path) -> str:
    files = [p for p in folder.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    return f"mermaid {VERSION}: {len(files)} files ({size / 1e6:.1f} MB) in {folder}"


def main(argv: list[str] | None = None) -> int:
    if sys.argv[1:] if argv is None else argv:
        print("usage: python -m cramplab_tools mermaid  (takes no arguments)", file=sys.stderr)
        return 2
    try:
        folder = ensure()
    except MermaidUnavailable as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(describe(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
