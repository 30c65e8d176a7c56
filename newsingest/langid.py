"""Language identification: seeded langdetect behind a guard that never raises."""

from __future__ import annotations

import threading
from typing import Optional

UNDETERMINED = "und"

# Fewer letters than this and langdetect's answer is noise: call it `und`.
MIN_LETTERS = 10
# langdetect reads at most this many characters of a text anyway.
SAMPLE_CHARS = 10_000
_SEED = 0

_lock = threading.Lock()
_factory = None


def _get_factory():
    """Load langdetect's profiles once, under a lock: its own loader is not thread-safe."""
    global _factory
    if _factory is None:
        with _lock:
            if _factory is None:
                from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

                factory = DetectorFactory()
                factory.load_profile(PROFILES_DIRECTORY)
                factory.seed = _SEED  # without a seed langdetect draws different answers each run
                _factory = factory
    return _factory


def count_letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


def detect_language(text: Optional[str]) -> tuple[str, float]:
    """Return (language code, probability); ``("und", 0.0)`` when there is too little to tell."""
    if not text:
        return UNDETERMINED, 0.0
    sample = text[:SAMPLE_CHARS]
    if count_letters(sample) < MIN_LETTERS:
        return UNDETERMINED, 0.0
    from langdetect.lang_detect_exception import LangDetectException

    detector = _get_factory().create()
    try:
        detector.append(sample)
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return UNDETERMINED, 0.0
    return best.lang, round(best.prob, 4)
