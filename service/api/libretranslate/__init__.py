"""LibreTranslate's API, as its clients call it (libretranslatepy, libretranslate-aio, npm's
libretranslate, deep-translator, CMS plugins): translation and detection, files, suggestions,
and what its clients read first. Fields come from the query string, JSON or a form, the key
there too (`api_key`); errors are `{"error"}`."""

from . import files, info, suggest, translate

ROUTERS = (translate.router, files.router, suggest.router, info.router)
