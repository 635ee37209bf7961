"""DeepL's API, as its clients call it (the official `deepl` and `deepl-node` clients, CMS
plugins): v2's translation, usage, languages, glossaries and documents, and v3's glossaries.
Fields come from JSON, a form or the query string; the key in `Authorization: DeepL-Auth-Key`;
errors are `{"message"}`."""

from . import documents, glossaries, glossaries_v3, translate

ROUTERS = (translate.router, glossaries.router, glossaries_v3.router, documents.router)
