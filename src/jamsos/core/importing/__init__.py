"""The tabular import kit every import uses (issue 12): workers, DTSEN, exclusions, claim
reports, BPJS bills, bank transfer results.

* :mod:`.reader` — any CSV or XLSX file as a frame of text columns (encodings, delimiters,
  spreadsheet cells, size and zip-bomb limits), headers mapped by their normalised spelling;
  :class:`~.reader.UnreadableFile` when nothing can be read.
* :mod:`.parsing` — set-based polars parsers for dates, rupiah amounts and phone numbers.
* :mod:`.issues` — the row issue ``(row, column, code, message, severity)``: schema, builder,
  the error/warning split and the report every import returns.

Nothing here knows an app's columns; the apps declare theirs and validate their own rules.
"""
