"""Issue 6: the fixity audit names damaged and missing files and the rows that use them."""

from __future__ import annotations

import json
import os
from pathlib import Path

from support.cli import run, show
from support.dagvatten import ingested


def stored_pdf(home: Path) -> tuple[str, Path, str]:
    """sha256, store path and label of the Skyfall session's PDF."""
    m = show(home, "1")["sessions"][1]["materials"][0]
    return m["file"]["sha256"], Path(m["file"]["path"]), m["label"]


def test_intact_archive_exits_0(server, tmp_path):
    ingested(server, tmp_path)
    result = run(tmp_path, "verify")
    assert result.exit_code == 0, result.output
    assert "intact" in result.output
    report = json.loads(run(tmp_path, "verify", "--json").stdout)
    assert report["intact"] and report["problems"] == []
    assert report["files_checked"] >= 3  # the page and two PDFs
    assert report["bytes_checked"] > 0


def test_one_flipped_byte_is_named_with_its_rows_and_exits_3(server, tmp_path):
    ingested(server, tmp_path)
    sha, path, label = stored_pdf(tmp_path)
    os.chmod(path, 0o644)  # the store keeps files read-only
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))

    result = run(tmp_path, "verify")
    assert result.exit_code == 3, result.output
    assert f"changed: {path}" in result.output
    assert label in result.output and "material" in result.output
    assert "not intact" in result.stderr

    report = json.loads(run(tmp_path, "verify", "--json").stdout)
    assert not report["intact"]
    (problem,) = report["problems"]
    assert problem["problem"] == "changed" and problem["sha256"] == sha
    assert any(label in use for use in problem["uses"])
    assert any(use.startswith("document ") for use in problem["uses"])


def test_a_deleted_file_is_named_and_exits_3(server, tmp_path):
    ingested(server, tmp_path)
    sha, path, label = stored_pdf(tmp_path)
    path.unlink()
    result = run(tmp_path, "verify", "--json")
    assert result.exit_code == 3
    (problem,) = json.loads(result.stdout)["problems"]
    assert problem["problem"] == "missing" and problem["path"] == str(path)
    assert any(label in use for use in problem["uses"])
    text = run(tmp_path, "verify")
    assert text.exit_code == 3 and sha in text.output and "missing" in text.output
    # show tells the same story for the material
    material = show(tmp_path, "1")["sessions"][1]["materials"][0]
    assert material["file"]["present"] is False


def test_a_stray_file_is_reported_as_harmless(server, tmp_path):
    ingested(server, tmp_path)
    from konfarkiv.archive.archive import Archive

    with Archive.open(tmp_path) as archive:
        stray = archive.store.put_bytes(b"nobody refers to me")
    report = json.loads(run(tmp_path, "verify", "--json").stdout)
    assert report["intact"] and report["unreferenced"] == [stray.sha256]
    assert "used by no catalog row" in run(tmp_path, "verify").output


def test_verify_on_an_empty_archive_and_help(tmp_path):
    assert run(tmp_path, "reindex").exit_code == 0  # an archive with nothing in it
    result = run(tmp_path, "verify")
    assert result.exit_code == 0 and "checked 0 files" in result.output
    assert "Example" in run(tmp_path, "verify", "--help").output
    assert run(tmp_path, "verify", "--bogus").exit_code == 2
