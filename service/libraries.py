"""What depeche must know of third-party libraries: transformers loads one model at a time,
and its console noise (progress bars, notices) is turned down where depeche imports it."""

from __future__ import annotations

import threading

# transformers loads weights under process-wide patches of torch (meta tensors, default
# dtypes): two loads in two threads (both models warming up at once) would tangle them.
TRANSFORMERS_LOADING = threading.Lock()


def quiet_transformers() -> None:
    """Silence transformers' progress bars and warnings (it is imported by then)."""
    from huggingface_hub.utils import disable_progress_bars
    from transformers.utils import logging as hf_logging

    disable_progress_bars()
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
