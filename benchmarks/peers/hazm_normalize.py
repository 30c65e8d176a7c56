"""Run hazm's Normalizer (defaults, as a user would) over a JSON list of texts on stdin.

Runs in the peers environment (.venv-peers), never in newsingest's own.
Prints {"version", "outputs", "seconds"} as JSON.
"""

import json
import sys
import time
from importlib.metadata import version

import hazm

texts = json.load(sys.stdin)
normalizer = hazm.Normalizer()
start = time.perf_counter()
outputs = [normalizer.normalize(text) for text in texts]
seconds = time.perf_counter() - start
json.dump({"version": version("hazm"), "outputs": outputs, "seconds": seconds}, sys.stdout, ensure_ascii=False)
