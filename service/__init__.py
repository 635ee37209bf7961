"""depeche: French-to-English translation and summarization for newsrooms.

The Python entry point::

    import depeche

    translator = depeche.Translator()     # settings from DEPECHE_* variables
    translator.translate(["Bonjour.", "Le maire a parlé."])
    article = translator.translate_article(open("article.md").read(), "markdown")
    depeche.Summarizer().summarize_articles([article])

Nothing heavy is imported here: models load on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .results import ArticleResult
    from .summarizer import Summarizer, Summary
    from .translator import Translator

# Public name -> the module that defines it, imported on first access.
_LAZY = {
    "ArticleResult": ".results",
    "Summarizer": ".summarizer",
    "Summary": ".results",
    "Translator": ".translator",
}

__all__ = ["ArticleResult", "Summarizer", "Summary", "Translator", "__version__"]


def __getattr__(name: str) -> Any:
    if name == "__version__":  # importlib.metadata costs a command's start 60 ms: on first use
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("depeche-mt")
        except PackageNotFoundError:  # run from a source tree that was never installed
            return "0+unknown"
    if name in _LAZY:
        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
