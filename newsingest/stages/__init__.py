"""The stages: split (extract, dates, urls, langid), normalize, dedup, stats, unpack."""
