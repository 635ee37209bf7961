"""The wheel installs anywhere: built from the source, installed into a fresh virtualenv outside
the checkout, it translates with a local model from another folder, and keeps what it writes in
the user's data and cache folders, never inside the installed package or the current folder.

The fresh virtualenv reads the libraries of the test environment (a `.pth` file naming a folder
of links to them, without this checkout's editable depeche), so nothing is downloaded."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from depeche.config import ROOT
from depeche.translator import Translator

EXAMPLE = ROOT / "examples" / "article.md"
# What of the test environment's site-packages the fresh one must not see: the editable depeche.
EDITABLE = ("__editable__", "depeche")


def run(
    *command: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `command`; fail the test, with its stderr, if it fails."""
    done = subprocess.run(command, capture_output=True, text=True, cwd=cwd, env=env)
    assert done.returncode == 0, f"{command}: {done.stderr}"
    return done


def build_wheel(folder: Path) -> Path:
    """The wheel of a copy of the source (the build leaves its files in the copy)."""
    source = folder / "source"
    for name in ("pyproject.toml", "README.md"):
        source.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "service", source / "service", ignore=shutil.ignore_patterns("__pycache__")
    )
    pip = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-index"]
    run(*pip, "--no-build-isolation", "-w", folder / "dist", source)
    (wheel,) = (folder / "dist").glob("depeche_mt-*.whl")
    return wheel


def fresh_venv(folder: Path) -> tuple[Path, Path]:
    """A virtualenv (its bin/ and site-packages) that sees the test environment's libraries,
    but not its depeche."""
    venv = folder / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    where = "import sysconfig; print(sysconfig.get_path('purelib'))"
    purelib = Path(run(venv / "bin" / "python", "-c", where).stdout.strip())
    links = folder / "libraries"
    links.mkdir()
    for entry in Path(sysconfig.get_path("purelib")).iterdir():
        if not entry.name.startswith(EDITABLE) and entry.name != "__pycache__":
            (links / entry.name).symlink_to(entry)
    (purelib / "test-libraries.pth").write_text(f"{links}\n", encoding="utf-8")
    return venv / "bin", purelib


def listing(folder: Path) -> set[str]:
    """Every file under `folder`, compiled bytecode aside."""
    return {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if "__pycache__" not in p.parts and not p.is_dir()
    }


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The built wheel, and the bin/ and site-packages of a fresh virtualenv it is installed in."""
    folder = tmp_path_factory.mktemp("install")
    wheel = build_wheel(folder)
    bin_dir, purelib = fresh_venv(folder)
    pip = [bin_dir / "python", "-m", "pip", "install", "-q", "--no-deps", "--no-index"]
    run(*pip, "--disable-pip-version-check", wheel)
    return wheel, bin_dir, purelib


def test_the_wheel_carries_the_model_manifest(installed: tuple[Path, Path, Path]) -> None:
    wheel, _, purelib = installed
    with zipfile.ZipFile(wheel) as archive:
        shipped = archive.read("depeche/models/manifest.toml")
    assert shipped == (ROOT / "service" / "models" / "manifest.toml").read_bytes()
    # The repository's models/manifest.toml is the same file.
    assert (ROOT / "models" / "manifest.toml").read_bytes() == shipped
    assert (purelib / "depeche" / "models" / "manifest.toml").read_bytes() == shipped


def test_the_wheel_carries_every_module_and_each_imports(
    installed: tuple[Path, Path, Path],
) -> None:
    """Every module of `service/` is in the wheel (a package missing from pyproject.toml's list
    would install a depeche that fails at its first import of it), and each imports there."""
    wheel, bin_dir, purelib = installed
    source = ROOT / "service"
    modules = {
        "depeche/" + p.relative_to(source).as_posix()
        for p in source.rglob("*.py")
        if "__pycache__" not in p.parts
    }
    with zipfile.ZipFile(wheel) as archive:
        assert modules - set(archive.namelist()) == set()
    names = sorted(
        ".".join(["depeche", *Path(m).relative_to("depeche").with_suffix("").parts]).removesuffix(
            ".__init__"
        )
        for m in modules
        if not m.endswith("/__main__.py")  # `python -m depeche`: it runs the command line
    )
    script = (
        "import importlib, sys\n"
        "for name in sys.argv[1:]: importlib.import_module(name)\n"
        "print(importlib.import_module('depeche').__file__)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    done = run(bin_dir / "python", "-c", script, *names, cwd=purelib.parent, env=env)
    assert Path(done.stdout.strip()).is_relative_to(purelib)  # the wheel's, not the checkout's


def test_installed_elsewhere_it_translates_and_writes_only_to_the_users_folders(
    installed: tuple[Path, Path, Path],
    tiny_marian: Path,
    tmp_path: Path,
    translator: Translator,
) -> None:
    _, bin_dir, purelib = installed
    home, elsewhere = tmp_path / "home", tmp_path / "elsewhere"
    home.mkdir()
    elsewhere.mkdir()
    model = shutil.copytree(tiny_marian, tmp_path / "models" / "fr-en")  # a local model folder
    article = elsewhere / "article.md"
    shutil.copy(EXAMPLE, article)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DEPECHE_", "XDG_", "PYTHON", "VIRTUAL_ENV"))
    }
    env.update(
        HOME=str(home),
        PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        HF_HUB_OFFLINE="1",
        DEPECHE_TRANSLATION_MODEL=str(model),
        DEPECHE_COMPUTE_TYPE="float32",
    )
    package = listing(purelib)
    depeche = bin_dir / "depeche"

    done = run(depeche, "translate", "article.md", cwd=elsewhere, env=env)
    expected = translator.translate_article(EXAMPLE.read_text(encoding="utf-8"), "markdown")
    assert done.stdout == expected.text
    stats = run(depeche, "cache", "stats", cwd=elsewhere, env=env).stdout
    listed = run(depeche, "models", "list", cwd=elsewhere, env=env).stdout

    # The installed code ran, not this checkout's.
    module = run(bin_dir / "python", "-c", "import depeche; print(depeche.__file__)", env=env)
    assert Path(module.stdout.strip()).is_relative_to(purelib)
    # The manifest is the wheel's: its models are listed.
    assert "Helsinki-NLP/opus-mt-fr-en@" in listed and "sshleifer/distilbart-cnn-12-6@" in listed
    # Conversions in the user's data folder, the cache in the user's cache folder.
    data, cache = home / ".local" / "share" / "depeche", home / ".cache" / "depeche"
    assert list((data / "models" / "ctranslate2").glob("fr-en-*-float32"))
    assert str(cache / "cache.sqlite3") in stats and (cache / "cache.sqlite3").is_file()
    # Nothing written inside the installed package, nor in the current folder.
    assert listing(purelib) == package
    assert listing(elsewhere) == {"article.md"}
