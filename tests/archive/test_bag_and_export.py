"""Issue 6: a BagIt bag that validates and describes itself; the catalog as JSONL and CSV."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import bagit
from support.cli import run, show
from support.dagvatten import ingested
from support.media import webvtt


def archive_with_everything(server, tiny_video: bytes, home: Path) -> str:
    """An ingested event, a hand-added film with captions, and a second, hand-made event."""
    url = ingested(server, home)
    disk = home.parent / "disk"
    disk.mkdir()
    (disk / "Eftermiddag på Rådhuset.mp4").write_bytes(tiny_video)
    (disk / "Eftermiddag på Rådhuset.sv.vtt").write_text(
        webvtt([(3.0, 6.0, "Gröna tak i Malmö.")]), "utf-8")
    assert run(home, "add", str(disk / "Eftermiddag på Rådhuset.mp4"), "--event", url,
               "--session", "Skyfall och klimatanpassning").exit_code == 0
    (disk / "anteckningar.pdf").write_bytes(
        (Path(show(home, "1")["sessions"][0]["materials"][0]["file"]["path"])).read_bytes())
    assert run(home, "add", str(disk / "anteckningar.pdf"), "--new-event", "Vattendagen",
               "--date", "2020-06-01").exit_code == 0
    return url


def payload(bag_dir: Path) -> set[str]:
    return {p.relative_to(bag_dir).as_posix() for p in (bag_dir / "data").rglob("*")
            if p.is_file()}


def test_bag_validates_and_its_catalog_lists_every_file(server, tiny_video, tmp_path):
    home = tmp_path / "arkiv"
    url = archive_with_everything(server, tiny_video, home)
    bag_dir = tmp_path / "overlamning"
    result = run(home, "export", "--bagit", str(bag_dir))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"bag {bag_dir}: 2 events")

    bag = bagit.Bag(str(bag_dir))
    bag.validate()  # raises BagValidationError when anything is off
    cli = subprocess.run([sys.executable, "-m", "bagit", "--validate", str(bag_dir)],
                         capture_output=True, text=True, timeout=60)
    if cli.returncode != 0 or "is valid" not in cli.stderr:  # the installed script itself
        script = shutil.which("bagit.py") or str(Path(sys.executable).with_name("bagit.py"))
        cli = subprocess.run([script, "--validate", str(bag_dir)], capture_output=True,
                             text=True, timeout=60)
    assert cli.returncode == 0 and "is valid" in cli.stderr, cli.stderr

    catalog = json.loads((bag_dir / "data" / "catalog.json").read_text("utf-8"))
    listed = {f["path"] for f in catalog["files"]}
    assert listed == payload(bag_dir) - {"data/catalog.json"}
    for f in catalog["files"]:
        assert hashlib.sha256((bag_dir / f["path"]).read_bytes()).hexdigest() == f["sha256"]
        assert bag.entries[f["path"]]["sha256"] == f["sha256"]

    # A readable layout: event/session/file with safe names.
    paths = sorted(listed)
    assert "data/odaterat-natverksmote-om-dagvatten/01-dagvatten-i-den-tata-staden/" \
           "presentation-om-dagvatten.pdf" in paths
    film_dir = "data/odaterat-natverksmote-om-dagvatten/02-skyfall-och-klimatanpassning/"
    assert film_dir + "eftermiddag-pa-radhuset.mp4" in paths
    assert film_dir + "eftermiddag-pa-radhuset.sv.vtt" in paths
    assert film_dir + "eftermiddag-pa-radhuset.info.json" in paths
    assert any(p.startswith("data/odaterat-natverksmote-om-dagvatten/sidan/") for p in paths)
    assert "data/2020-06-01-vattendagen/anteckningar.pdf" in paths
    assert all(p.isascii() and " " not in p for p in paths)

    event = next(e for e in catalog["events"] if e["url"] == url)
    session = event["sessions"][0]
    assert session["speakers"][0]["name"] == "Eva Hägglund"
    assert session["materials"][0]["file"]["bag_path"].endswith("presentation-om-dagvatten.pdf")
    assert session["materials"][0]["versions"][0]["tool"].startswith("pypdf")

    info = bag.info
    assert info["Source-URL"] == url
    assert info["Source-Organization"] and info["Bagging-Date"]
    assert info["Event-Dates"] == "2020-06-01 / 2020-06-01"
    assert "Harvest-Dates" in info and "konfarkiv" in info["Bag-Software-Agent"]


def test_bag_of_one_event_without_removed_material(server, tiny_video, tmp_path):
    home = tmp_path / "arkiv"
    archive_with_everything(server, tiny_video, home)
    film = show(home, "1")["sessions"][1]["materials"][1]
    assert film["kind"] == "film"
    assert run(home, "remove", f"material:{film['id']}", "--reason", "rättigheter").exit_code == 0

    bag_dir = tmp_path / "bag"
    assert run(home, "export", "--bagit", str(bag_dir), "--event", "1").exit_code == 0
    bagit.Bag(str(bag_dir)).validate()
    files = payload(bag_dir)
    assert not any("vattendagen" in p for p in files)
    assert not any(p.endswith(".mp4") for p in files)

    full = tmp_path / "full"
    assert run(home, "export", "--bagit", str(full), "--event", "1",
               "--include-removed").exit_code == 0
    assert any(p.endswith(".mp4") for p in payload(full))


def test_bag_refuses_a_used_folder_and_a_damaged_store(server, tmp_path):
    home = tmp_path / "arkiv"
    ingested(server, home)
    used = tmp_path / "used"
    used.mkdir()
    (used / "x.txt").write_text("x")
    result = run(home, "export", "--bagit", str(used))
    assert result.exit_code == 1 and "not an empty folder" in result.stderr

    path = Path(show(home, "1")["sessions"][0]["materials"][0]["file"]["path"])
    path.chmod(0o644)
    path.write_bytes(path.read_bytes()[:-1] + b"!")
    damaged = run(home, "export", "--bagit", str(tmp_path / "bag"))
    assert damaged.exit_code == 1 and "konfarkiv verify" in damaged.stderr

    path.unlink()
    missing = run(home, "export", "--bagit", str(tmp_path / "bag2"))
    assert missing.exit_code == 1 and "missing from the store" in missing.stderr
    assert not (tmp_path / "bag2").exists()
    assert run(tmp_path / "tomt", "reindex").exit_code == 0  # an archive with nothing in it
    empty = run(tmp_path / "tomt", "export", "--bagit", str(tmp_path / "bag3"))
    assert empty.exit_code == 1 and "no events" in empty.stderr


def test_jsonl_and_csv_with_provenance(server, tiny_video, tmp_path):
    home = tmp_path / "arkiv"
    url = archive_with_everything(server, tiny_video, home)
    assert run(home, "edit", "session", "1", "--speaker", "Eva Hägglund, SKR").exit_code == 0

    out = run(home, "export", "--jsonl", "-")
    assert out.exit_code == 0, out.output
    records = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["type"] for r in records].count("event") == 2
    event = records[0]
    assert event["type"] == "event" and event["url"] == url and event["page_sha256"]
    sessions = [r for r in records if r["type"] == "session"]
    assert sessions[0]["hand_made"] == ["speakers"]
    assert sessions[0]["speakers"] == [{"name": "Eva Hägglund", "organisation": "SKR",
                                        "role": None}]
    materials = [r for r in records if r["type"] == "material"]
    pdf = next(m for m in materials if m["kind"] == "pdf" and m["origin"] == "page")
    assert pdf["file"]["sha256"] and pdf["fetched_at"] and pdf["versions"][0]["pages"] == 2
    film = next(m for m in materials if m["kind"] == "film")
    assert film["origin"] == "manual" and film["film"]["cues"] == 1

    target = tmp_path / "katalog.csv"
    result = run(home, "export", "--csv", str(target), "--event", url)
    assert result.exit_code == 0 and "to " + str(target) in result.output
    rows = list(csv.DictReader(io.StringIO(target.read_text("utf-8"))))
    assert {r["event_id"] for r in rows} == {"1"}
    assert len(rows) == 3  # two page PDFs and the added film
    first = rows[0]
    assert first["session_title"] == "Dagvatten i den täta staden"
    assert first["speakers"] == "Eva Hägglund" and first["organisations"] == "SKR"
    assert first["session_hand_made"] == "speakers"
    assert len(first["sha256"]) == 64 and first["stored_path"].endswith(first["sha256"])
    assert {r["material_origin"] for r in rows} == {"page", "manual"}


def test_export_usage_errors(tmp_path):
    home = tmp_path / "home"
    assert run(home, "reindex").exit_code == 0  # an empty archive
    assert run(home, "export").exit_code == 2
    assert run(home, "export", "--jsonl", "-", "--csv", "-").exit_code == 2
    bad = run(home, "export", "--csv", str(tmp_path / "nofolder" / "x.csv"))
    assert bad.exit_code == 1 and "cannot write" in bad.stderr
    missing = run(home, "export", "--jsonl", "-", "--event", "7")
    assert missing.exit_code == 1 and "no event 7" in missing.stderr
    assert "Example" in run(home, "export", "--help").output
