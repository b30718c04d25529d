"""Ops: check the archive against its WARC files (``verify``), rebuild or re-extract
it from them (``reindex``), replay and package them (``replay``: pywb, CDXJ, WACZ,
WARC export) with pywb found or installed in an environment of its own
(``pywb_env``).
"""
