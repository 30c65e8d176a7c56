"""Run shekar's Normalizer (defaults, as a user would) over a JSON list of texts on stdin.

Runs in the peers environment (.venv-peers), never in newsingest's own.
Prints {"version", "outputs", "seconds"} as JSON.
"""

import json
import sys
import time
from importlib.metadata import version

from shekar import Normalizer

texts = json.load(sys.stdin)
normalizer = Normalizer()
start = time.perf_counter()
outputs = [normalizer(text) for text in texts]
seconds = time.perf_counter() - start
json.dump({"version": version("shekar"), "outputs": outputs, "seconds": seconds}, sys.stdout, ensure_ascii=False)
