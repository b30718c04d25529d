"""The researchers' side: the read-only :class:`~archiver.research.archive.Archive`
API (search, documents, versions, diff, records, stats), streaming exports
(``exports``) and the Datasette metadata and plugin behind ``archiver serve``
(``serve``, ``datasette_plugins``).
"""
