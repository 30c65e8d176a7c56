"""Reading and writing: containers, encodings, JSONL records, streams, shards."""
