"""Bulk import of worker lists as villages and agencies send them (CSV or XLSX).

read → validate (vectorised, polars) → write (staging table + set-based SQL, one transaction).
"""
