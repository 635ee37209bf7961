"""Whole documents through DeepL's client and LibreTranslate's /translate_file."""

from __future__ import annotations

from pathlib import Path

import deepl
import httpx
import pytest
from depeche.config import Settings
from depeche.documents import translate_document
from depeche.translator import Translator

from tests.api.live import LiveServer
from tests.docx_files import article

FILES = {
    "brief.txt": "Le maire de Lyon a présenté un budget.\n\nLa ministre refuse.\n".encode(),
    "brief.md": "# *Le maire de Lyon*\n\n---\n\nLa ministre **refuse** la grève.\n".encode(),
    "brief.html": "<h1>Le maire</h1><p>La ministre <b>refuse</b> la grève.</p>".encode(),
    "report.docx": article(),
}


@pytest.mark.parametrize("name", sorted(FILES))
def test_deepl_translate_document(
    engine_server: str, engine_reference: Translator, tmp_path: Path, name: str
) -> None:
    source, target = tmp_path / name, tmp_path / f"en-{name}"
    source.write_bytes(FILES[name])
    client = deepl.Translator("any-key", server_url=engine_server)
    status = client.translate_document_from_filepath(
        source, target, source_lang="FR", target_lang="EN-GB"
    )
    assert status.done and status.billed_characters > 0
    expected = translate_document(engine_reference, FILES[name], name).data
    if name.endswith(".docx"):
        from depeche.formats.docx import DocxDocument

        assert DocxDocument(target.read_bytes()).fragments == DocxDocument(expected).fragments
    else:
        assert target.read_bytes() == expected


def test_deepl_document_is_downloaded_once(server: str) -> None:
    client = deepl.Translator("any-key", server_url=server)
    handle = client.translate_document_upload(
        FILES["brief.txt"], target_lang="EN-US", filename="brief.txt"
    )
    assert client.translate_document_get_status(handle).done
    assert client.translate_document_download(handle).content  # type: ignore[union-attr]
    with pytest.raises(deepl.DeepLException):
        client.translate_document_get_status(handle)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "encrypted"),
        ("broken.docx", b"PK\x03\x04 not really", "not a readable .docx"),
        ("scan.pdf", b"%PDF-1.4", "depeche translates"),
    ],
)
def test_bad_documents_are_400s_in_each_dialect(
    server: str, name: str, data: bytes, message: str
) -> None:
    deepl_answer = httpx.post(
        f"{server}/v2/document", data={"target_lang": "EN"}, files={"file": (name, data)}
    )
    assert deepl_answer.status_code == 400 and message in deepl_answer.json()["message"]
    libre = httpx.post(
        f"{server}/translate_file",
        data={"source": "fr", "target": "en"},
        files={"file": (name, data)},
    )
    assert libre.status_code == 400 and message in libre.json()["error"]


def test_libretranslate_translate_file(server: str, reference: Translator) -> None:
    answer = httpx.post(
        f"{server}/translate_file",
        data={"source": "fr", "target": "en"},
        files={"file": ("brief.md", FILES["brief.md"])},
    ).json()
    url = answer["translatedFileUrl"]
    assert url.startswith(server) and url.endswith("/brief.md")
    assert (
        httpx.get(url).content == translate_document(reference, FILES["brief.md"], "brief.md").data
    )
    settings = httpx.get(f"{server}/frontend/settings").json()
    assert settings["filesTranslation"] and ".docx" in settings["supportedFilesFormat"]


def test_documents_over_the_limit_are_413(api_settings: Settings) -> None:
    small = api_settings.model_copy(update={"max_document_bytes": 4096})
    with LiveServer(small) as url:
        big = b"PK" + b"\0" * 200_000
        answer = httpx.post(
            f"{url}/v2/document", data={"target_lang": "EN"}, files={"file": ("a.docx", big)}
        )
        assert answer.status_code == 413 and "message" in answer.json()
        too_big_docx = httpx.post(
            f"{url}/translate_file",
            data={"source": "fr", "target": "en"},
            files={"file": ("report.docx", article() + b"\0" * 8192)},
        )
        assert too_big_docx.status_code == 413 and "at most 4096" in too_big_docx.json()["error"]


@pytest.mark.parametrize(
    "sent", ["../../etc/brief.md", "dossier/brief.md", "C:\\dossier\\brief.md"]
)
def test_a_file_name_is_never_a_path(server: str, reference: Translator, sent: str) -> None:
    answer = httpx.post(
        f"{server}/translate_file",
        data={"source": "fr", "target": "en"},
        files={"file": (sent, FILES["brief.md"])},
    )
    assert answer.status_code == 200, answer.text
    url = answer.json()["translatedFileUrl"]
    assert url.endswith("/brief.md")
    expected = translate_document(reference, FILES["brief.md"], "brief.md").data
    assert httpx.get(url).content == expected


def test_a_document_past_the_quota_is_456_before_it_is_translated(
    api_settings: Settings, tmp_path: Path
) -> None:
    # brief.txt holds 57 characters of text; a store of its own counts from 0.
    store = f"sqlite:///{tmp_path}/store.sqlite3"
    limited = api_settings.model_copy(
        update={"character_limit": 56, "cache_url": "none", "store_url": store}
    )
    server = LiveServer(limited)
    with server as url:
        done = server.services.translator.stats.sentences
        answer = httpx.post(
            f"{url}/v2/document",
            data={"target_lang": "EN"},
            files={"file": ("brief.txt", FILES["brief.txt"])},
        )
        assert answer.status_code == 456 and "quota" in answer.json()["message"]
        assert server.services.translator.stats.sentences == done  # nothing was translated
        assert httpx.get(f"{url}/v2/usage").json()["character_count"] == 0
        smaller = FILES["brief.txt"].replace(b"Lyon", b"Ly")
        answer = httpx.post(
            f"{url}/v2/document",
            data={"target_lang": "EN"},
            files={"file": ("brief.txt", smaller)},
        )
        assert answer.status_code == 200
        assert httpx.get(f"{url}/v2/usage").json()["character_count"] == 55
