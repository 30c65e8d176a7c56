"""gzip (`.gz`) out: zlib-ng's `gzip_ng` where it is installed (the optional extra
`newsingest[fast]`), else the standard library's `gzip`.

Both write at LEVEL 5, in one thread, with mtime 0 and no file name in the header, so that the
same records give the same file whatever it is called or when it is written; `gzip -d` and every
gzip reader read either. The decompressed bytes are the records, the same with either library;
the compressed bytes differ between the two (zlib-ng finds other matches: about twice as fast,
and 5% smaller here), and may between versions of a library: the same installation gives the
same bytes. NEWSINGEST_STDLIB_GZIP=1 uses the standard library's even where zlib-ng is
installed. Reading stays with the standard library (its errors on a truncated or damaged stream
are the ones reported): it costs a tenth of writing (docs/scale.md, "gzip output").
"""

from __future__ import annotations

import gzip
import io
import os
from types import ModuleType
from typing import BinaryIO, cast

LEVEL = 5
# Bytes gathered before they reach the compressor: one call a record line costs more than the
# compression of the line itself.
BUFFER = 1 << 17
STDLIB_ENVIRONMENT = "NEWSINGEST_STDLIB_GZIP"


def implementation() -> ModuleType:
    """The module whose GzipFile compresses: zlib-ng's when it is there and not turned off."""
    if os.environ.get(STDLIB_ENVIRONMENT, "") not in ("", "0"):
        return gzip
    try:
        from zlib_ng import gzip_ng
    except ImportError:
        return gzip
    return cast(ModuleType, gzip_ng)  # zlib-ng: not followed by mypy (pyproject.toml)


def writer(raw: BinaryIO) -> BinaryIO:
    """A stream compressing into ``raw`` (left open when it is closed)."""
    compressor = implementation().GzipFile(filename="", fileobj=raw, mode="wb", compresslevel=LEVEL, mtime=0)
    return cast(BinaryIO, io.BufferedWriter(compressor, BUFFER))
