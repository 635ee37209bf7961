"""Third-party libraries' own console noise, turned down where depeche imports them: the
progress bars and notices transformers prints while it loads or converts a model."""

from __future__ import annotations


def quiet_transformers() -> None:
    """Silence transformers' progress bars and warnings (it is imported by then)."""
    from huggingface_hub.utils import disable_progress_bars
    from transformers.utils import logging as hf_logging

    disable_progress_bars()
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
