"""Every write to the clinical record goes through a function here.

Each service is keyword-only, runs in one transaction, validates with full_clean() before it
saves, and writes its audit row in that same transaction.
"""
