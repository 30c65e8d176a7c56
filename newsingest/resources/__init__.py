"""Language resources: the data the stages are built from (word lists, phrases, months, the Persian lexicon)."""
