"""What users write by hand instead of newsingest: per article, hazm's normalizer (with its
spacing correction), langdetect, a sha1 and json.dumps. Runs in the peers environment.

    python peer_pipeline.py CONTAINER > out.jsonl
"""

import hashlib
import json
import sys

import hazm
from langdetect import DetectorFactory, detect
from langdetect.lang_detect_exception import LangDetectException

DetectorFactory.seed = 0
normalizer = hazm.Normalizer()


def articles(path):
    name, lines = None, None
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if line.startswith("<<<FILE"):
                name, lines = line.strip()[8:-3], []
            elif line.startswith("<<<END>>>"):
                yield name, "".join(lines)
                name, lines = None, None
            elif lines is not None:
                lines.append(line)


out = sys.stdout
for name, text in articles(sys.argv[1]):
    clean = normalizer.normalize(text)
    try:
        language = detect(clean)
    except LangDetectException:
        language = "und"
    digest = hashlib.sha1(clean.encode("utf-8")).hexdigest()
    out.write(json.dumps({"id": name, "text": clean, "language": language, "hash": digest}, ensure_ascii=False) + "\n")
