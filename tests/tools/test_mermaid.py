"""Vendoring mermaid: only a tarball with the pinned hash is unpacked, and only what pages load.

Nothing is downloaded here: the tarballs are hand-made, and the download is replaced.
"""

import io
import tarfile

import pytest

from cramplab_tools import mermaid

ENTRY = "package/dist/mermaid.esm.min.mjs"
CHUNK = "package/dist/chunks/mermaid.esm.min/chunk-ABC.mjs"
UNWANTED = [
    "package/dist/chunks/mermaid.esm.min/chunk-ABC.mjs.map",  # source map
    "package/dist/mermaid.min.js",  # the other builds
    "package/dist/mermaid.core.mjs",
    "package/README.md",
]


def tarball(path, names):
    with tarfile.open(path, "w:gz") as archive:
        for name in names:
            data = f"// {name}".encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def test_integrity_is_npm_s_sha512_in_base64():
    # sha512 of no bytes at all, as the SRI format writes it
    assert mermaid.integrity(b"") == (
        "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg=="
    )


def test_install_keeps_the_module_entry_and_its_chunks_only(tmp_path):
    package = tarball(tmp_path / "m.tgz", [ENTRY, CHUNK, *UNWANTED])
    target = tmp_path / "env" / "mermaid-1.0.0"
    expected = mermaid.integrity(package.read_bytes())
    assert mermaid.install(package, target, expected) == target
    files = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    assert files == ["chunks/mermaid.esm.min/chunk-ABC.mjs", "mermaid.esm.min.mjs"]
    assert [p.name for p in target.parent.iterdir()] == ["mermaid-1.0.0"]  # no staging left


def test_a_tarball_that_is_not_the_pinned_one_is_not_unpacked(tmp_path):
    package = tarball(tmp_path / "m.tgz", [ENTRY, CHUNK])
    target = tmp_path / "env" / "mermaid-1.0.0"
    with pytest.raises(mermaid.MermaidUnavailable, match="is not the pinned"):
        mermaid.install(package, target, mermaid.INTEGRITY)
    assert not target.exists()


def test_a_tarball_without_the_entry_leaves_nothing_behind(tmp_path):
    package = tarball(tmp_path / "m.tgz", [CHUNK])
    target = tmp_path / "env" / "mermaid-1.0.0"
    with pytest.raises(mermaid.MermaidUnavailable, match=r"has no package/dist/mermaid\.esm"):
        mermaid.install(package, target, mermaid.integrity(package.read_bytes()))
    assert list((tmp_path / "env").iterdir()) == []


def test_ensure_fetches_nothing_when_the_environment_has_it(tmp_path, monkeypatch):
    target = tmp_path / mermaid.folder_name()
    target.mkdir()
    (target / mermaid.ENTRY).write_text("export default {}")
    monkeypatch.setattr(mermaid, "download", lambda folder: pytest.fail("downloaded again"))
    assert mermaid.ensure(target) == target


def test_offline_without_a_copy_says_what_to_do(tmp_path, monkeypatch):
    def offline(folder):
        raise OSError("Network is unreachable")

    monkeypatch.setattr(mermaid, "download", offline)
    with pytest.raises(mermaid.MermaidUnavailable, match="needs it once, with network"):
        mermaid.ensure(tmp_path / mermaid.folder_name())


def test_it_lives_in_the_python_environment(tmp_path):
    assert mermaid.vendored_dir(tmp_path) == tmp_path / "share" / "cramplab" / "mermaid-11.12.1"


def test_a_member_pointing_outside_its_folder_is_refused(tmp_path):
    outside = "package/dist/chunks/mermaid.esm.min/../../../../outside.mjs"
    package = tarball(tmp_path / "m.tgz", [ENTRY, outside])
    target = tmp_path / "env" / "mermaid-1.0.0"
    with pytest.raises(mermaid.MermaidUnavailable, match="points outside its folder"):
        mermaid.install(package, target, mermaid.integrity(package.read_bytes()))
    assert list((tmp_path / "env").iterdir()) == []
    assert not list(tmp_path.rglob("outside.mjs"))


@pytest.mark.parametrize("name", ["/chunks/x.mjs", "chunks/../../x.mjs", ""])
def test_safe_relative_refuses_absolute_and_dot_dot_paths(tmp_path, name):
    with pytest.raises(mermaid.MermaidUnavailable, match="points outside"):
        mermaid.safe_relative(mermaid.DIST + name, tmp_path / "m.tgz")


def test_links_are_never_extracted(tmp_path):
    package = tarball(tmp_path / "m.tgz", [ENTRY])
    with tarfile.open(package, "r:gz") as archive:
        members = [(m, archive.extractfile(m).read()) for m in archive.getmembers()]
    with tarfile.open(package, "w:gz") as archive:
        for member, data in members:
            archive.addfile(member, io.BytesIO(data))
        link = tarfile.TarInfo("package/dist/chunks/mermaid.esm.min/link.mjs")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        archive.addfile(link)
    target = tmp_path / "env" / "mermaid-1.0.0"
    mermaid.install(package, target, mermaid.integrity(package.read_bytes()))
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*")) == [
        "mermaid.esm.min.mjs"
    ]
