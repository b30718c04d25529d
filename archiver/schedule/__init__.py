"""Scheduled crawls: jobs and their locks, sources and run history (``jobs``), the
schedule rules (``rules``), the scheduler loop (``scheduler``) and incremental
recrawls with revisit decay and conditional requests (``incremental``).
"""
