"""The one language pair depeche serves, French to English, checked as each API's requests
name it."""

from __future__ import annotations

from ..errors import UnsupportedLanguageError


def check_pair(
    source: str, target: str, *, auto: bool = False, serves: str = "depeche translates"
) -> None:
    """Refuse (`UnsupportedLanguageError`) a pair other than French to English: codes in any
    case, an English target with its region (`EN-GB`, `en-us`), and `auto` for the source
    where the route detects it. The message spells the pair as the request did (DeepL's
    clients write codes in capitals): `de to en: depeche translates fr to en`."""
    french = source.lower() == "fr" or (auto and source.lower() == "auto")
    if french and target.lower().partition("-")[0] == "en":
        return
    pair = "FR to EN" if source.isupper() else "fr to en"
    raise UnsupportedLanguageError(f"{source} to {target}: {serves} {pair}")
