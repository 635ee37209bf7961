"""depeche: French-to-English translation and summarization for newsrooms.

The Python entry point::

    from . import Translator

    translator = Translator()             # settings from DEPECHE_* variables
    translator.translate(["Bonjour.", "Le maire a parlé."])

Nothing heavy is imported here: models load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .translator import Translator

__all__ = ["Translator"]


def __getattr__(name: str) -> Any:
    if name == "Translator":
        from .translator import Translator

        return Translator
    raise AttributeError(name)
